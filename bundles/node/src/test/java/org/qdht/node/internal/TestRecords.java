package org.qdht.node.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;

/**
 * Records for store tests without a crypto suite: the store does not verify signatures, so a
 * publisher here is random key bytes (its NodeId really is the hash of them, as
 * {@link PublishedRecord} demands) and a "signature" is a SHA-256 of the signed bytes, so equal
 * records carry equal signatures as with a deterministic scheme.
 */
final class TestRecords {
    static final SuiteId SUITE = SuiteId.XWING_MLDSA65;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestRecords() {
    }

    /** One publisher: a signature key and the NodeId it hashes to. */
    record Publisher(EncodedPublicKey key, NodeId id) {
        static Publisher random() {
            byte[] bytes = new byte[64];
            RANDOM.nextBytes(bytes);
            return new Publisher(EncodedPublicKey.of(SUITE, KeyPurpose.SIGNATURE, bytes), NodeIdPuzzle.nodeIdOf(SUITE, bytes));
        }

        Record record(DhtKey key, long version, long expiresAtMillis, byte[] value) {
            return sign(Record.unsigned(key, value, version, expiresAtMillis, id, SUITE, key().keyId(), false));
        }

        Record tombstone(DhtKey key, long version, long expiresAtMillis) {
            return sign(Record.unsigned(key, new byte[0], version, expiresAtMillis, id, SUITE, key().keyId(), true));
        }

        PublishedRecord published(DhtKey key, long version, long expiresAtMillis, byte[] value) {
            return new PublishedRecord(record(key, version, expiresAtMillis, value), key(), 42L);
        }

        PublishedRecord tombstonePublished(DhtKey key, long version, long expiresAtMillis) {
            return published(tombstone(key, version, expiresAtMillis));
        }

        PublishedRecord published(Record record) {
            return new PublishedRecord(record, key(), 42L);
        }
    }

    static DhtKey randomKey() {
        byte[] bytes = new byte[DhtKey.LENGTH];
        RANDOM.nextBytes(bytes);
        return DhtKey.of(bytes);
    }

    static Record sign(Record unsigned) {
        try {
            return unsigned.withSignature(MessageDigest.getInstance("SHA-256").digest(unsigned.toBeSigned()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        private volatile long millis;

        TestClock(long millis) {
            this.millis = millis;
        }

        void advance(long byMillis) {
            millis += byMillis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
