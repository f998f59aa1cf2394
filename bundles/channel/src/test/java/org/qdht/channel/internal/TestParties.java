package org.qdht.channel.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.routing.Record;
import org.qdht.crypto.bc.Suites;

/**
 * Real parties for handshake tests outside the framework: Bouncy Castle suites, a real identity
 * key with a solved NodeId puzzle, and a verifier over the party's suites.
 */
final class TestParties {
    static final SecureRandom RANDOM = new SecureRandom();
    static final CryptoSuite XWING = Suites.xwingMlDsa65(RANDOM);
    static final CryptoSuite MLKEM768 = Suites.mlKem768MlDsa65(RANDOM);
    static final CryptoSuite SLHDSA = Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, RANDOM);

    private TestParties() {
    }

    /** A node's identity key under one suite, with rotations it has signed. */
    static final class Identity implements NodeIdentity {
        final CryptoSuite suite;
        final KeyPair key;
        final NodeId id;
        final long nonce;
        final int difficulty;
        final List<KeyRotation> rotations = new ArrayList<>();

        Identity(CryptoSuite suite, int difficulty) {
            this.suite = suite;
            this.key = suite.signatures().generateKeyPair();
            this.id = NodeIdPuzzle.nodeIdOf(suite.id(), key.publicKey().key());
            this.difficulty = difficulty;
            this.nonce = NodeIdPuzzle.solve(id, difficulty, n -> { });
        }

        /** A new identity under {@code next}, with a rotation signed by this one. */
        Identity rotateTo(CryptoSuite next) throws CryptoException {
            Identity successor = new Identity(next, difficulty);
            successor.rotations.addAll(rotations);
            long at = System.currentTimeMillis();
            SuiteSignature sig = suite.signatures().sign(key, KeyRotation.toBeSigned(key.publicKey(), successor.key.publicKey(), at));
            successor.rotations.add(new KeyRotation(key.publicKey(), successor.key.publicKey(), at, sig));
            return successor;
        }

        @Override
        public NodeId nodeId() {
            return id;
        }

        @Override
        public long puzzleNonce() {
            return nonce;
        }

        @Override
        public int puzzleDifficulty() {
            return difficulty;
        }

        @Override
        public SuiteId suite() {
            return suite.id();
        }

        @Override
        public EncodedPublicKey signingKey() {
            return key.publicKey();
        }

        @Override
        public SuiteSignature sign(byte[] message) throws CryptoException {
            return suite.signatures().sign(key, message);
        }

        @Override
        public List<KeyRotation> rotations() {
            return List.copyOf(rotations);
        }
    }

    /** Verifies with whichever of its suites an object names. */
    static final class Verifier implements SignatureVerifier {
        final List<CryptoSuite> suites;

        Verifier(List<CryptoSuite> suites) {
            this.suites = suites;
        }

        @Override
        public List<SuiteId> installedSuites() {
            return suites.stream().map(CryptoSuite::id).toList();
        }

        @Override
        public Optional<CryptoSuite> suite(SuiteId id) {
            return suites.stream().filter(s -> s.id().equals(id)).findFirst();
        }

        @Override
        public boolean verify(EncodedPublicKey key, byte[] message, SuiteSignature signature) throws CryptoException {
            CryptoSuite s = suite(key.suite()).orElseThrow(() -> new CryptoException(CryptoException.Reason.UNSUPPORTED, "no suite " + key.suite()));
            return s.signatures().verify(key, message, signature);
        }

        @Override
        public boolean verify(Record record, EncodedPublicKey publisherKey) throws CryptoException {
            if (!record.isSigned() || !publisherKey.keyId().equals(record.keyId()) || !publisherKey.suite().equals(record.suite())) {
                return false;
            }
            return verify(publisherKey, record.toBeSigned(), SuiteSignature.of(record.suite(), record.keyId(), record.signature()));
        }

        @Override
        public boolean verify(KeyRotation rotation) throws CryptoException {
            return verify(rotation.oldKey(), rotation.toBeSigned(), rotation.signature());
        }
    }

    /** One side of a handshake. */
    static final class Party implements LocalParty {
        volatile Identity identity;
        final List<CryptoSuite> suites;
        final Verifier verifier;
        final Map<SuiteId, KeyPair> statics = new ConcurrentHashMap<>();
        int minDifficulty = 4;

        Party(CryptoSuite identitySuite, CryptoSuite... suites) {
            this.suites = List.of(suites);
            this.verifier = new Verifier(this.suites);
            this.identity = new Identity(identitySuite, 4);
        }

        @Override
        public NodeIdentity identity() {
            return identity;
        }

        @Override
        public List<SuiteId> offeredSuites() {
            List<SuiteId> ids = new ArrayList<>(suites.stream().map(CryptoSuite::id).toList());
            ids.remove(identity.suite());
            ids.add(0, identity.suite());
            return ids;
        }

        @Override
        public Optional<CryptoSuite> suite(SuiteId id) {
            return verifier.suite(id);
        }

        @Override
        public SignatureVerifier verifier() {
            return verifier;
        }

        @Override
        public KeyPair staticKemKey(CryptoSuite suite) {
            return statics.computeIfAbsent(suite.id(), id -> suite.kem().generateKeyPair());
        }

        @Override
        public Optional<KeyPair> staticKemKey(KeyId id) {
            return statics.values().stream().filter(k -> k.publicKey().keyId().equals(id)).findFirst();
        }

        @Override
        public int minPeerPuzzleDifficulty() {
            return minDifficulty;
        }
    }
}
