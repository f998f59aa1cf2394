package org.qdht.channel.internal;

import java.util.List;
import java.util.Optional;

import org.qdht.api.SuiteId;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.wire.WireFormat;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireFormatException.Reason;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * The secure channel's packets and their codecs. Every packet starts with a type byte; the format
 * is written down in the bundle's README. Decoders check every length before allocating and
 * accept only what the encoders write.
 */
final class Packets {
    static final int VERSION = 1;

    static final int INIT = 1;
    static final int RETRY = 2;
    static final int RESPONSE = 3;
    static final int FINISH = 4;
    static final int DATA = 5;
    static final int REJECT = 6;

    static final int MAX_SUITES = 16;
    static final int MAX_ROTATIONS = 8;
    static final int RANDOM_SIZE = 32;
    static final int COOKIE_SIZE = 16;
    /** Sealed handshake payloads carry keys and signatures: SLH-DSA-128s signs 7,856 B, 128f 17,088 B. */
    static final int MAX_SEALED_PAYLOAD = 96 * 1024;
    /** Data packets carry one message of at most 1 MiB plus the protocol code and the AEAD tag. */
    static final int MAX_DATA_CIPHERTEXT = (1 << 20) + 64;
    static final int DATA_HEADER_SIZE = 1 + 4 + 8;
    /** Largest packet of any type; a stream frame longer than this is refused before reading it. */
    static final int MAX_PACKET_SIZE = DATA_HEADER_SIZE + MAX_DATA_CIPHERTEXT;

    private Packets() {
    }

    /** The first packet of a handshake; {@code staticCiphertext} present means IK, absent XX. */
    record Init(int version, long initiatorIndex, List<SuiteId> offered, SuiteId suite, EncodedPublicKey ephemeral,
            Optional<KemCiphertext> staticCiphertext, byte[] random, long timestampMillis, byte[] cookie) {

        Init withCookie(byte[] newCookie) {
            return new Init(version, initiatorIndex, offered, suite, ephemeral, staticCiphertext, random, timestampMillis, newCookie);
        }

        /** The bytes the transcript covers: everything but the cookie, which a retry changes. */
        byte[] transcriptBytes() {
            return encode(new byte[0]);
        }

        byte[] encode() {
            return encode(cookie);
        }

        private byte[] encode(byte[] cookieToWrite) {
            WireWriter out = new WireWriter(2048);
            out.u8(INIT).u8(version).u32(initiatorIndex);
            writeSuites(out, offered);
            suite.writeTo(out);
            ephemeral.writeTo(out);
            out.bool(staticCiphertext.isPresent());
            staticCiphertext.ifPresent(ct -> ct.writeTo(out));
            out.fixed(random, RANDOM_SIZE).i64(timestampMillis).bytes(cookieToWrite, COOKIE_SIZE);
            return out.toByteArray();
        }

        static Init decode(byte[] packet) throws WireFormatException {
            WireReader in = reader(packet, INIT, "init");
            int version = in.u8("version");
            if (version != VERSION) {
                throw new WireFormatException(Reason.UNSUPPORTED_VERSION, 1, "channel version " + version + ", this node speaks " + VERSION);
            }
            long index = nonZeroIndex(in, "initiator index");
            List<SuiteId> offered = readSuites(in, "offered suites");
            SuiteId suite = SuiteId.readFrom(in);
            EncodedPublicKey ephemeral = EncodedPublicKey.readFrom(in);
            Optional<KemCiphertext> staticCt = in.bool("IK flag") ? Optional.of(KemCiphertext.readFrom(in)) : Optional.empty();
            byte[] random = in.fixed(RANDOM_SIZE, "random");
            long timestamp = in.i64("timestamp");
            byte[] cookie = in.bytes(COOKIE_SIZE, "cookie");
            if (cookie.length != 0 && cookie.length != COOKIE_SIZE) {
                throw new WireFormatException(Reason.MALFORMED, in.position(), "cookie must be empty or " + COOKIE_SIZE + " bytes");
            }
            in.expectEnd("init");
            return new Init(version, index, offered, suite, ephemeral, staticCt, random, timestamp, cookie);
        }
    }

    /** Stateless retry: the responder wants proof that the initiator receives at its address. */
    record Retry(long initiatorIndex, byte[] cookie) {
        byte[] encode() {
            return new WireWriter(24).u8(RETRY).u32(initiatorIndex).fixed(cookie, COOKIE_SIZE).toByteArray();
        }

        static Retry decode(byte[] packet) throws WireFormatException {
            WireReader in = reader(packet, RETRY, "retry");
            long index = nonZeroIndex(in, "initiator index");
            byte[] cookie = in.fixed(COOKIE_SIZE, "cookie");
            in.expectEnd("retry");
            return new Retry(index, cookie);
        }
    }

    /** Why a responder refused an init. Unauthenticated: the initiator treats it as a hint. */
    enum RejectReason {
        UNKNOWN_SUITE(1), UNKNOWN_STATIC_KEY(2), BUSY(3);

        final int code;

        RejectReason(int code) {
            this.code = code;
        }

        static RejectReason of(int code, int at) throws WireFormatException {
            for (RejectReason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw new WireFormatException(Reason.MALFORMED, at, "unknown reject reason " + code);
        }
    }

    record Reject(long initiatorIndex, RejectReason reason, List<SuiteId> responderSuites) {
        byte[] encode() {
            WireWriter out = new WireWriter(64).u8(REJECT).u32(initiatorIndex).u8(reason.code);
            writeSuites(out, responderSuites);
            return out.toByteArray();
        }

        static Reject decode(byte[] packet) throws WireFormatException {
            WireReader in = reader(packet, REJECT, "reject");
            long index = nonZeroIndex(in, "initiator index");
            RejectReason reason = RejectReason.of(in.u8("reason"), in.position() - 1);
            List<SuiteId> suites = readSuites(in, "responder suites");
            in.expectEnd("reject");
            return new Reject(index, reason, suites);
        }
    }

    /**
     * The responder's answer: the suite list it received (so the initiator can tell a stripped init
     * from other failures), a ciphertext to the initiator's ephemeral key, and its sealed identity.
     */
    record Response(long responderIndex, long initiatorIndex, List<SuiteId> receivedOffer, KemCiphertext ephemeralCiphertext,
            byte[] sealed) {
        byte[] header() {
            WireWriter out = new WireWriter(1200).u8(RESPONSE).u32(responderIndex).u32(initiatorIndex);
            writeSuites(out, receivedOffer);
            ephemeralCiphertext.writeTo(out);
            return out.toByteArray();
        }

        byte[] encode() {
            return new WireWriter(16_000).raw(header()).bytes(sealed, MAX_SEALED_PAYLOAD).toByteArray();
        }

        static Response decode(byte[] packet) throws WireFormatException {
            WireReader in = reader(packet, RESPONSE, "response");
            long responder = nonZeroIndex(in, "responder index");
            long initiator = nonZeroIndex(in, "initiator index");
            List<SuiteId> received = readSuites(in, "received suites");
            KemCiphertext ct = KemCiphertext.readFrom(in);
            byte[] sealed = in.bytes(MAX_SEALED_PAYLOAD, "sealed response");
            in.expectEnd("response");
            return new Response(responder, initiator, received, ct, sealed);
        }
    }

    /** The initiator's last handshake packet: its sealed identity and signature. */
    record Finish(long responderIndex, byte[] sealed) {
        byte[] header() {
            return new WireWriter(8).u8(FINISH).u32(responderIndex).toByteArray();
        }

        byte[] encode() {
            return new WireWriter(16_000).raw(header()).bytes(sealed, MAX_SEALED_PAYLOAD).toByteArray();
        }

        static Finish decode(byte[] packet) throws WireFormatException {
            WireReader in = reader(packet, FINISH, "finish");
            long responder = nonZeroIndex(in, "responder index");
            byte[] sealed = in.bytes(MAX_SEALED_PAYLOAD, "sealed finish");
            in.expectEnd("finish");
            return new Finish(responder, sealed);
        }
    }

    /**
     * What each side proves about itself inside the sealed payloads. {@code replacesIndex} (initiator
     * only) names the responder's index of the session this handshake re-keys, 0 for a new session;
     * {@code staticKem} (responder only) is the key an initiator may use for IK next time.
     */
    record Identity(List<SuiteId> offered, EncodedPublicKey signingKey, long puzzleNonce, int puzzleDifficulty,
            Optional<EncodedPublicKey> staticKem, List<KeyRotation> rotations, long replacesIndex) {

        byte[] encodeUnsigned() {
            WireWriter out = new WireWriter(8_192);
            writeSuites(out, offered);
            signingKey.writeTo(out);
            out.i64(puzzleNonce).u8(puzzleDifficulty);
            out.bool(staticKem.isPresent());
            staticKem.ifPresent(k -> k.writeTo(out));
            out.list(rotations, MAX_ROTATIONS, (r, w) -> w.bytes(WireFormat.encode(KeyRotation.CODEC, r), KeyRotation.MAX_ENCODED_SIZE + WireFormat.MAX_HEADER_SIZE));
            out.u32(replacesIndex);
            return out.toByteArray();
        }

        /** Reads the identity and the signature after it; returns both. */
        static Signed decodeSigned(byte[] plaintext) throws WireFormatException {
            WireReader in = new WireReader(plaintext);
            List<SuiteId> offered = readSuites(in, "offered suites");
            EncodedPublicKey signingKey = EncodedPublicKey.readFrom(in);
            long nonce = in.i64("puzzle nonce");
            int difficulty = in.u8("puzzle difficulty");
            Optional<EncodedPublicKey> staticKem = in.bool("static key flag") ? Optional.of(EncodedPublicKey.readFrom(in)) : Optional.empty();
            List<KeyRotation> rotations = in.list(MAX_ROTATIONS, "rotations",
                    r -> WireFormat.decode(KeyRotation.CODEC, r.bytes(KeyRotation.MAX_ENCODED_SIZE + WireFormat.MAX_HEADER_SIZE, "rotation")));
            long replaces = in.u32("replaced index");
            int unsignedLength = in.position();
            SuiteSignature signature = SuiteSignature.readFrom(in);
            in.expectEnd("sealed identity");
            Identity identity = new Identity(offered, signingKey, nonce, difficulty, staticKem, rotations, replaces);
            return new Signed(identity, java.util.Arrays.copyOf(plaintext, unsignedLength), signature);
        }
    }

    record Signed(Identity identity, byte[] unsignedBytes, SuiteSignature signature) {
    }

    /** An encrypted message under the keys that {@code receiverIndex} names. */
    record Data(long receiverIndex, long counter, byte[] ciphertext) {
        static byte[] header(long receiverIndex, long counter) {
            return new WireWriter(DATA_HEADER_SIZE).u8(DATA).u32(receiverIndex).i64(counter).toByteArray();
        }

        byte[] encode() {
            return new WireWriter(DATA_HEADER_SIZE + ciphertext.length).raw(header(receiverIndex, counter)).raw(ciphertext).toByteArray();
        }

        static Data decode(byte[] packet) throws WireFormatException {
            if (packet.length > MAX_PACKET_SIZE) {
                throw new WireFormatException(Reason.OVERSIZED, 0, "data packet of " + packet.length + " bytes exceeds " + MAX_PACKET_SIZE);
            }
            WireReader in = reader(packet, DATA, "data");
            long index = nonZeroIndex(in, "receiver index");
            long counter = in.i64("counter");
            if (counter < 0) {
                throw new WireFormatException(Reason.MALFORMED, in.position() - 8, "negative message counter");
            }
            if (in.remaining() == 0) {
                throw new WireFormatException(Reason.TRUNCATED, in.position(), "data packet without ciphertext");
            }
            byte[] ciphertext = in.fixed(in.remaining(), "ciphertext");
            return new Data(index, counter, ciphertext);
        }
    }

    /** The type byte of a packet, checked against the known types. */
    static int typeOf(byte[] packet) throws WireFormatException {
        if (packet.length == 0) {
            throw new WireFormatException(Reason.TRUNCATED, 0, "empty packet");
        }
        int type = packet[0] & 0xFF;
        if (type < INIT || type > REJECT) {
            throw new WireFormatException(Reason.WRONG_TYPE, 0, "unknown channel packet type " + type);
        }
        return type;
    }

    static void writeSuites(WireWriter out, List<SuiteId> suites) {
        out.list(suites, MAX_SUITES, SuiteId::writeTo);
    }

    static List<SuiteId> readSuites(WireReader in, String field) throws WireFormatException {
        int at = in.position();
        List<SuiteId> suites = in.list(MAX_SUITES, field, SuiteId::readFrom);
        if (suites.isEmpty() || suites.stream().distinct().count() != suites.size()) {
            throw new WireFormatException(Reason.MALFORMED, at, field + " must list 1-" + MAX_SUITES + " distinct suites");
        }
        return suites;
    }

    private static WireReader reader(byte[] packet, int type, String what) throws WireFormatException {
        if (packet.length > MAX_PACKET_SIZE) {
            throw new WireFormatException(Reason.OVERSIZED, 0, what + " of " + packet.length + " bytes exceeds " + MAX_PACKET_SIZE);
        }
        WireReader in = new WireReader(packet);
        int actual = in.u8("packet type");
        if (actual != type) {
            throw new WireFormatException(Reason.WRONG_TYPE, 0, "expected a " + what + " packet, got type " + actual);
        }
        return in;
    }

    private static long nonZeroIndex(WireReader in, String field) throws WireFormatException {
        long index = in.u32(field);
        if (index == 0) {
            throw new WireFormatException(Reason.MALFORMED, in.position() - 4, field + " must not be 0");
        }
        return index;
    }
}
