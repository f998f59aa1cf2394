package org.qdht.kademlia.core;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.crypto.bc.Suites;

/**
 * Real signatures for record tests: Bouncy Castle suites, publishers with a solved NodeId puzzle,
 * and a verifier over a chosen set of suites (as in the channel's TestParties).
 */
final class TestCrypto {
    static final SecureRandom RANDOM = new SecureRandom();
    /** ML-DSA-65: the suite the verifier has installed. */
    static final CryptoSuite SUITE = Suites.mlKem768MlDsa65(RANDOM);
    /** ML-DSA-44: a suite the verifier does not have. */
    static final CryptoSuite OTHER_SUITE = Suites.mlKem512MlDsa44(RANDOM);
    static final int DIFFICULTY = 8;
    static final Verifier VERIFIER = new Verifier(List.of(SUITE));

    private TestCrypto() {
    }

    /** A publisher: signature key, NodeId and puzzle nonce. */
    static final class Publisher {
        final CryptoSuite suite;
        final KeyPair key;
        final NodeId id;
        final long nonce;

        Publisher(CryptoSuite suite, int difficulty) {
            this.suite = suite;
            this.key = suite.signatures().generateKeyPair();
            this.id = NodeIdPuzzle.nodeIdOf(suite.id(), key.publicKey().key());
            this.nonce = NodeIdPuzzle.solve(id, difficulty, n -> { });
        }

        Publisher() {
            this(SUITE, DIFFICULTY);
        }

        Record unsigned(DhtKey key, byte[] value, long version, long expiresAt, boolean tombstone) {
            return Record.unsigned(key, value, version, expiresAt, id, suite.id(), this.key.publicKey().keyId(), tombstone);
        }

        Record sign(Record unsigned) {
            try {
                return unsigned.withSignature(suite.signatures().sign(key, unsigned.toBeSigned()).bytes());
            } catch (CryptoException e) {
                throw new IllegalStateException(e);
            }
        }

        PublishedRecord publish(Record signed) {
            return new PublishedRecord(signed, key.publicKey(), nonce);
        }

        PublishedRecord publish(DhtKey key, byte[] value, long version, long expiresAt) {
            return publish(sign(unsigned(key, value, version, expiresAt, false)));
        }

        PublishedRecord tombstone(DhtKey key, long version, long expiresAt) {
            return publish(sign(unsigned(key, new byte[0], version, expiresAt, true)));
        }
    }

    /** The record with one bit of its signature flipped. */
    static PublishedRecord flipSignatureBit(PublishedRecord published, int bit) {
        byte[] sig = published.record().signature();
        sig[(bit / 8) % sig.length] ^= (byte) (1 << (bit % 8));
        return new PublishedRecord(published.record().withSignature(sig), published.publisherKey(), published.puzzleNonce());
    }

    /** Verifies with whichever of its suites an object names. */
    static final class Verifier implements SignatureVerifier {
        final List<CryptoSuite> suites;
        int recordVerifications;

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
        public synchronized boolean verify(Record record, EncodedPublicKey publisherKey) throws CryptoException {
            recordVerifications++;
            if (suite(record.suite()).isEmpty()) {
                throw new CryptoException(CryptoException.Reason.UNSUPPORTED, "no suite " + record.suite());
            }
            if (!record.isSigned() || !publisherKey.keyId().equals(record.keyId()) || !publisherKey.suite().equals(record.suite())) {
                throw new CryptoException(CryptoException.Reason.SUITE_MISMATCH, "not the key the record names");
            }
            return verify(publisherKey, record.toBeSigned(), SuiteSignature.of(record.suite(), record.keyId(), record.signature()));
        }

        @Override
        public boolean verify(KeyRotation rotation) throws CryptoException {
            return verify(rotation.oldKey(), rotation.toBeSigned(), rotation.signature());
        }
    }
}
