package org.qdht.channel.internal;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.ChannelException.Reason;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireWriter;

/**
 * The initiator's side of one handshake, without I/O: {@link #init()} is the first packet,
 * {@link #onResponse} checks the responder and yields the finish packet and the session keys.
 * IK when the responder's static KEM key is known, XX otherwise. Not thread safe: the driver
 * calls it from one thread at a time.
 */
final class Initiator implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalParty local;
    private final CryptoSuite suite;
    private final long localIndex;
    private final Optional<NodeId> expectedPeer;
    private final long replacesIndex;
    private final boolean suiteChosenFromUnauthenticatedHint;
    private final KeyPair ephemeral;
    private final SecretBytes staticSecret;
    private Packets.Init init;

    /**
     * @param responderStaticKem the responder's static KEM key of {@code suite} (IK), or empty (XX)
     * @param replacesIndex      the responder's index of the session this re-keys, 0 for a new one
     * @param suiteFromHint      whether {@code suite} was picked after an unauthenticated reject; the
     *                           responder's signed suite list must then confirm it was the best choice
     */
    Initiator(LocalParty local, SuiteId suiteId, long localIndex, Optional<NodeId> expectedPeer,
            Optional<EncodedPublicKey> responderStaticKem, long replacesIndex, boolean suiteFromHint, long nowMillis)
            throws ChannelException {
        this.local = local;
        this.suite = local.suite(suiteId).orElseThrow(() -> new ChannelException(Reason.UNKNOWN_SUITE,
                "suite " + suiteId.name() + " is not installed on this node"));
        this.localIndex = localIndex;
        this.expectedPeer = expectedPeer;
        this.replacesIndex = replacesIndex;
        this.suiteChosenFromUnauthenticatedHint = suiteFromHint;
        this.ephemeral = suite.kem().generateKeyPair();
        Optional<org.qdht.api.crypto.KemCiphertext> staticCiphertext = Optional.empty();
        SecretBytes secret = null;
        if (responderStaticKem.isPresent()) {
            try {
                Encapsulation enc = suite.kem().encapsulate(responderStaticKem.get());
                staticCiphertext = Optional.of(enc.ciphertext());
                secret = enc.sharedSecret();
            } catch (CryptoException e) {
                ephemeral.destroy();
                throw new ChannelException(Reason.MALFORMED, "the responder's static key is unusable: " + e.getMessage(), e);
            }
        }
        this.staticSecret = secret;
        byte[] random = new byte[Packets.RANDOM_SIZE];
        RANDOM.nextBytes(random);
        this.init = new Packets.Init(Packets.VERSION, localIndex, local.offeredSuites(), suiteId, ephemeral.publicKey(),
                staticCiphertext, random, nowMillis, new byte[0]);
    }

    Packets.Init init() {
        return init;
    }

    boolean isIk() {
        return staticSecret != null;
    }

    long localIndex() {
        return localIndex;
    }

    SuiteId suite() {
        return suite.id();
    }

    Optional<NodeId> expectedPeer() {
        return expectedPeer;
    }

    boolean isFromHint() {
        return suiteChosenFromUnauthenticatedHint;
    }

    long replacesIndex() {
        return replacesIndex;
    }

    /** The same init with the responder's cookie; the transcript does not cover cookies. */
    Packets.Init withCookie(byte[] cookie) {
        init = init.withCookie(cookie);
        return init;
    }

    /** The finish packet and the session keys, or why the responder is not accepted. */
    record Outcome(Packets.Finish finish, Established established) {
    }

    Outcome onResponse(Packets.Response response) throws ChannelException {
        if (!response.receivedOffer().equals(init.offered())) {
            throw new ChannelException(Reason.DOWNGRADE, "the init reached the responder offering " + response.receivedOffer()
                    + " but this node offered " + init.offered() + ": suites were stripped on the way");
        }
        if (!response.ephemeralCiphertext().suite().equals(suite.id())
                || !response.ephemeralCiphertext().recipientKey().equals(ephemeral.publicKey().keyId())) {
            throw new ChannelException(Reason.MALFORMED, "the response is not encapsulated to this handshake's ephemeral key");
        }
        try (Transcript t = new Transcript(suite)) {
            t.mixHash(init.transcriptBytes());
            if (staticSecret != null) {
                t.mixKey(staticSecret, "ik");
            }
            try (SecretBytes shared = suite.kem().decapsulate(ephemeral, response.ephemeralCiphertext())) {
                t.mixKey(shared, "ee");
            }
            byte[] header = response.header();
            t.mixHash(header);
            Packets.Signed signed;
            try (SecretBytes responseKey = t.deriveKey("response")) {
                signed = Packets.Identity.decodeSigned(open(responseKey, header, response.sealed()));
            }
            Packets.Identity peer = signed.identity();
            t.mixHash(signed.unsignedBytes());
            NodeId peerId = PeerCheck.verify(local, signed, t.toBeSigned("responder"));
            t.mixHash(encode(signed.signature()));
            checkExpectedPeer(peerId, peer);
            checkSuiteChoice(peer.offered());
            Optional<EncodedPublicKey> staticKem = peer.staticKem().filter(k -> k.purpose() == KeyPurpose.KEM && k.suite().equals(suite.id()));

            NodeIdentity me = local.identity();
            Packets.Identity mine = new Packets.Identity(init.offered(), me.signingKey(), me.puzzleNonce(),
                    me.puzzleDifficulty(), Optional.empty(), lastRotations(me), replacesIndex);
            byte[] finishHeader = new Packets.Finish(response.responderIndex(), new byte[0]).header();
            byte[] unsigned = mine.encodeUnsigned();
            try (SecretBytes finishKey = t.deriveKey("finish")) {
                t.mixHash(Transcript.concat(finishHeader, unsigned));
                byte[] signature = encode(me.sign(t.toBeSigned("initiator")));
                t.mixHash(signature);
                byte[] sealed = suite.aead().seal(finishKey, zeroNonce(), finishHeader, Transcript.concat(unsigned, signature));
                Established established = new Established(peerId, peer.signingKey(), peer.rotations(), peer.offered(), staticKem, suite.id(),
                        localIndex, response.responderIndex(), t.deriveKey("i2r"), t.deriveKey("r2i"), replacesIndex, true);
                return new Outcome(new Packets.Finish(response.responderIndex(), sealed), established);
            }
        } catch (CryptoException e) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "handshake cryptography failed: " + e.getMessage(), e);
        } catch (WireFormatException e) {
            throw new ChannelException(Reason.MALFORMED, "the responder's sealed identity is malformed: " + e.getMessage(), e);
        }
    }

    private void checkExpectedPeer(NodeId peerId, Packets.Identity peer) throws ChannelException {
        if (expectedPeer.isPresent()
                && !PeerCheck.isSameOrRotatedFrom(local.verifier(), expectedPeer.get(), peer.signingKey(), peer.rotations())) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "the responder proved identity " + peerId.toHex()
                    + ", not the expected " + expectedPeer.get().toHex());
        }
    }

    /** The responder's signed suite list must contain the suite used, and no better one if a hint picked it. */
    private void checkSuiteChoice(List<SuiteId> responderOffered) throws ChannelException {
        if (!responderOffered.contains(suite.id())) {
            throw new ChannelException(Reason.DOWNGRADE, "the responder accepted suite " + suite.id().name()
                    + " but its signed suite list does not contain it");
        }
        SuiteId best = PeerCheck.best(init.offered(), responderOffered).orElseThrow();
        if (suiteChosenFromUnauthenticatedHint && !best.equals(suite.id())) {
            throw new ChannelException(Reason.DOWNGRADE, "an unauthenticated reject made this node use " + suite.id().name()
                    + ", but the responder's signed suite list offers the preferred " + best.name());
        }
    }

    private byte[] open(SecretBytes key, byte[] header, byte[] sealed) throws ChannelException {
        try {
            return suite.aead().open(key, zeroNonce(), header, sealed);
        } catch (CryptoException e) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "the response does not decrypt: wrong keys or tampered bytes", e);
        }
    }

    byte[] zeroNonce() {
        return new byte[suite.aead().nonceSize()];
    }

    static List<org.qdht.api.crypto.KeyRotation> lastRotations(NodeIdentity identity) {
        List<org.qdht.api.crypto.KeyRotation> all = identity.rotations();
        return all.subList(Math.max(0, all.size() - Packets.MAX_ROTATIONS), all.size());
    }

    static byte[] encode(SuiteSignature signature) {
        WireWriter out = new WireWriter(signature.size() + 32);
        signature.writeTo(out);
        return out.toByteArray();
    }

    @Override
    public void close() {
        ephemeral.destroy();
        if (staticSecret != null) {
            staticSecret.destroy();
        }
    }
}
