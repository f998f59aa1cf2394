package org.qdht.channel.internal;

import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.ChannelException.Reason;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.wire.WireFormatException;

/**
 * The responder's side of one handshake, without I/O: {@link #respond()} answers an init, and
 * {@link #onFinish} checks the initiator and yields the session keys. The caller has already
 * checked the suite is installed and found the static key of an IK init. Not thread safe.
 */
final class Responder implements AutoCloseable {
    private final LocalParty local;
    private final CryptoSuite suite;
    private final long localIndex;
    private final Packets.Init init;
    private final Optional<KeyPair> staticKey;
    private Transcript transcript;
    private SecretBytes finishKey;
    private Packets.Response response;

    Responder(LocalParty local, CryptoSuite suite, long localIndex, Packets.Init init, Optional<KeyPair> staticKey) {
        this.local = local;
        this.suite = suite;
        this.localIndex = localIndex;
        this.init = init;
        this.staticKey = staticKey;
    }

    long localIndex() {
        return localIndex;
    }

    Packets.Init init() {
        return init;
    }

    /** The response packet: a ciphertext to the initiator's ephemeral key and this node's sealed, signed identity. */
    Packets.Response respond() throws ChannelException {
        if (!init.ephemeral().suite().equals(suite.id()) || init.ephemeral().purpose() != KeyPurpose.KEM) {
            throw new ChannelException(Reason.MALFORMED, "the init's ephemeral key is not a KEM key of suite " + suite.id().name());
        }
        transcript = new Transcript(suite);
        try {
            transcript.mixHash(init.transcriptBytes());
            if (init.staticCiphertext().isPresent()) {
                try (SecretBytes shared = suite.kem().decapsulate(staticKey.orElseThrow(), init.staticCiphertext().get())) {
                    transcript.mixKey(shared, "ik");
                }
            }
            Encapsulation enc = suite.kem().encapsulate(init.ephemeral());
            try (enc) {
                transcript.mixKey(enc.sharedSecret(), "ee");
            }
            byte[] header = new Packets.Response(localIndex, init.initiatorIndex(), init.offered(), enc.ciphertext(), new byte[0]).header();
            transcript.mixHash(header);
            NodeIdentity me = local.identity();
            Packets.Identity mine = new Packets.Identity(local.offeredSuites(), me.signingKey(), me.puzzleNonce(),
                    me.puzzleDifficulty(), staticKeyToHandOut(), Initiator.lastRotations(me), 0);
            byte[] unsigned = mine.encodeUnsigned();
            byte[] sealed;
            try (SecretBytes responseKey = transcript.deriveKey("response")) {
                transcript.mixHash(unsigned);
                byte[] signature = Initiator.encode(me.sign(transcript.toBeSigned("responder")));
                transcript.mixHash(signature);
                sealed = suite.aead().seal(responseKey, zeroNonce(), header, Transcript.concat(unsigned, signature));
            }
            finishKey = transcript.deriveKey("finish");
            response = new Packets.Response(localIndex, init.initiatorIndex(), init.offered(), enc.ciphertext(), sealed);
            return response;
        } catch (CryptoException e) {
            throw new ChannelException(Reason.MALFORMED, "cannot answer the init: " + e.getMessage(), e);
        }
    }

    /** The static KEM key for the initiator's next IK handshake; not repeated in IK, where it just used it. */
    private Optional<org.qdht.api.crypto.EncodedPublicKey> staticKeyToHandOut() {
        return init.staticCiphertext().isPresent() ? Optional.empty() : Optional.of(local.staticKemKey(suite).publicKey());
    }

    /** The response sent, for a retransmission when the same init arrives again. */
    Packets.Response response() {
        return response;
    }

    Established onFinish(Packets.Finish finish) throws ChannelException {
        if (finishKey == null) {
            throw new IllegalStateException("respond() first");
        }
        byte[] header = finish.header();
        try {
            byte[] plaintext;
            try {
                plaintext = suite.aead().open(finishKey, zeroNonce(), header, finish.sealed());
            } catch (CryptoException e) {
                throw new ChannelException(Reason.AUTHENTICATION_FAILED, "the finish does not decrypt: wrong keys or tampered bytes", e);
            }
            Packets.Signed signed = Packets.Identity.decodeSigned(plaintext);
            Packets.Identity peer = signed.identity();
            if (!peer.offered().equals(init.offered())) {
                throw new ChannelException(Reason.DOWNGRADE, "the initiator's signed suite list " + peer.offered()
                        + " differs from the one its init carried " + init.offered() + ": the init was tampered with");
            }
            transcript.mixHash(Transcript.concat(header, signed.unsignedBytes()));
            NodeId peerId = PeerCheck.verify(local, signed, transcript.toBeSigned("initiator"));
            transcript.mixHash(Initiator.encode(signed.signature()));
            return new Established(peerId, peer.signingKey(), peer.rotations(), peer.offered(), Optional.empty(), suite.id(), localIndex,
                    init.initiatorIndex(), transcript.deriveKey("r2i"), transcript.deriveKey("i2r"), peer.replacesIndex(), false);
        } catch (CryptoException e) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "handshake cryptography failed: " + e.getMessage(), e);
        } catch (WireFormatException e) {
            throw new ChannelException(Reason.MALFORMED, "the initiator's sealed identity is malformed: " + e.getMessage(), e);
        }
    }

    private byte[] zeroNonce() {
        return new byte[suite.aead().nonceSize()];
    }

    @Override
    public void close() {
        if (transcript != null) {
            transcript.close();
        }
        if (finishKey != null) {
            finishKey.destroy();
        }
    }
}
