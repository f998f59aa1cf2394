package org.qdht.fl.secagg;

import java.nio.ByteBuffer;
import java.util.List;

import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireFormatException.Reason;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * The codec of {@link SecAggMessage}. Every message starts with version u8 (1), type u8 (1-7) and
 * the round i64; ids are u16, lists a varint count (at most {@link SecAggLimits#MAX_COHORT}) sorted
 * by id, vectors a varint count (at most {@link SecAggLimits#MAX_VECTOR_LENGTH}) and big-endian
 * i32s, seeds 32 bytes, share values 66 bytes. Trailing bytes are refused, so each message has
 * exactly one encoding. Thread safe (stateless).
 */
public final class SecAggMessages {
    public static final int VERSION = 1;
    private static final int KEY_ADVERTISEMENT = 1;
    private static final int COHORT = 2;
    private static final int PAIRWISE_CIPHERTEXTS = 3;
    private static final int CIPHERTEXT_DELIVERY = 4;
    private static final int MASKED_INPUT = 5;
    private static final int UNMASKING_REQUEST = 6;
    private static final int UNMASKING_RESPONSE = 7;
    private static final int MAX = SecAggLimits.MAX_COHORT;

    private SecAggMessages() {
    }

    public static byte[] encode(SecAggMessage message) {
        WireWriter out = new WireWriter(message instanceof SecAggMessage.MaskedInput m ? m.masked().length * 4 + 16_384 : 4_096);
        out.u8(VERSION);
        if (message instanceof SecAggMessage.KeyAdvertisement m) {
            header(out, KEY_ADVERTISEMENT, m.round()).u16(m.sender());
            m.kemKey().writeTo(out);
        } else if (message instanceof SecAggMessage.Cohort m) {
            header(out, COHORT, m.round()).varint(m.vectorLength());
            out.list(m.members(), MAX, (member, w) -> {
                w.u16(member.id());
                member.kemKey().writeTo(w);
            });
        } else if (message instanceof SecAggMessage.PairwiseCiphertexts m) {
            header(out, PAIRWISE_CIPHERTEXTS, m.round()).u16(m.sender());
            writeCiphertexts(out, m.ciphertexts());
        } else if (message instanceof SecAggMessage.CiphertextDelivery m) {
            header(out, CIPHERTEXT_DELIVERY, m.round()).u16(m.recipient());
            out.list(m.members(), MAX, (id, w) -> w.u16(id));
            writeCiphertexts(out, m.ciphertexts());
        } else if (message instanceof SecAggMessage.MaskedInput m) {
            header(out, MASKED_INPUT, m.round()).u16(m.sender());
            writeVector(out, m.masked());
            writeSealed(out, m.shares());
        } else if (message instanceof SecAggMessage.UnmaskingRequest m) {
            header(out, UNMASKING_REQUEST, m.round()).u16(m.recipient());
            out.list(m.survivors(), MAX, (id, w) -> w.u16(id));
            writeSealed(out, m.shares());
        } else if (message instanceof SecAggMessage.UnmaskingResponse m) {
            header(out, UNMASKING_RESPONSE, m.round()).u16(m.sender());
            out.list(m.shares(), MAX, (s, w) -> w.u16(s.owner()).fixed(s.value(), Shamir.VALUE_LENGTH));
            out.list(m.seeds(), MAX, (s, w) -> w.u16(s.dropped()).fixed(s.seed(), SecAggLimits.SEED_LENGTH));
        } else {
            throw new IllegalArgumentException("not a secure aggregation message: " + message);
        }
        return out.toByteArray();
    }

    public static SecAggMessage decode(byte[] bytes) throws WireFormatException {
        WireReader in = new WireReader(bytes);
        int version = in.u8("version");
        if (version != VERSION) {
            throw new WireFormatException(Reason.UNSUPPORTED_VERSION, 0, "secure aggregation message version " + version);
        }
        int type = in.u8("type");
        long round = in.i64("round");
        int at = in.position();
        SecAggMessage message;
        try {
            message = switch (type) {
                case KEY_ADVERTISEMENT -> new SecAggMessage.KeyAdvertisement(round, in.u16("sender"), EncodedPublicKey.readFrom(in));
                case COHORT -> new SecAggMessage.Cohort(round, in.varint("vector length"),
                        in.list(MAX, "members", r -> new SecAggMessage.Member(r.u16("member"), EncodedPublicKey.readFrom(r))));
                case PAIRWISE_CIPHERTEXTS -> new SecAggMessage.PairwiseCiphertexts(round, in.u16("sender"), readCiphertexts(in));
                case CIPHERTEXT_DELIVERY -> new SecAggMessage.CiphertextDelivery(round, in.u16("recipient"),
                        in.list(MAX, "members", r -> r.u16("member")), readCiphertexts(in));
                case MASKED_INPUT -> new SecAggMessage.MaskedInput(round, in.u16("sender"), readVector(in), readSealed(in));
                case UNMASKING_REQUEST -> new SecAggMessage.UnmaskingRequest(round, in.u16("recipient"),
                        in.list(MAX, "survivors", r -> r.u16("survivor")), readSealed(in));
                case UNMASKING_RESPONSE -> new SecAggMessage.UnmaskingResponse(round, in.u16("sender"),
                        in.list(MAX, "shares", r -> new SecAggMessage.RevealedShare(r.u16("owner"), r.fixed(Shamir.VALUE_LENGTH, "share value"))),
                        in.list(MAX, "seeds", r -> new SecAggMessage.RevealedSeed(r.u16("dropped"), r.fixed(SecAggLimits.SEED_LENGTH, "seed"))));
                default -> throw new WireFormatException(Reason.WRONG_TYPE, 1, "unknown secure aggregation message type " + type);
            };
        } catch (IllegalArgumentException e) {
            // the records check ids, order and sizes: a decoded value they refuse is malformed input
            throw new WireFormatException(Reason.MALFORMED, at, e.getMessage());
        }
        in.expectEnd("secure aggregation message");
        return message;
    }

    private static WireWriter header(WireWriter out, int type, long round) {
        return out.u8(type).i64(round);
    }

    private static void writeCiphertexts(WireWriter out, List<SecAggMessage.PeerCiphertext> list) {
        out.list(list, MAX, (c, w) -> {
            w.u16(c.peer());
            c.ciphertext().writeTo(w);
        });
    }

    private static List<SecAggMessage.PeerCiphertext> readCiphertexts(WireReader in) throws WireFormatException {
        return in.list(MAX, "ciphertexts", r -> new SecAggMessage.PeerCiphertext(r.u16("peer"), KemCiphertext.readFrom(r)));
    }

    private static void writeSealed(WireWriter out, List<SecAggMessage.SealedShare> list) {
        out.list(list, MAX, (s, w) -> w.u16(s.peer()).bytes(s.box(), SecAggMessage.SealedShare.MAX_BOX));
    }

    private static List<SecAggMessage.SealedShare> readSealed(WireReader in) throws WireFormatException {
        return in.list(MAX, "sealed shares", r -> new SecAggMessage.SealedShare(r.u16("peer"), r.bytes(SecAggMessage.SealedShare.MAX_BOX, "sealed share")));
    }

    private static void writeVector(WireWriter out, int[] vector) {
        out.varint(vector.length);
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4);
        buffer.asIntBuffer().put(vector);
        out.raw(buffer.array());
    }

    private static int[] readVector(WireReader in) throws WireFormatException {
        int at = in.position();
        int length = in.varint("vector length");
        if (length > SecAggLimits.MAX_VECTOR_LENGTH) {
            throw new WireFormatException(Reason.OVERSIZED, at, "vector has " + length + " entries, maximum " + SecAggLimits.MAX_VECTOR_LENGTH);
        }
        // fixed() checks the bytes left before allocating, so a forged length cannot allocate more than the input
        byte[] raw = in.fixed(length * 4, "vector");
        int[] vector = new int[length];
        ByteBuffer.wrap(raw).asIntBuffer().get(vector);
        return vector;
    }
}
