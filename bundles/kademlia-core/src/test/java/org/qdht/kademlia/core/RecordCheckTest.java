package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.kademlia.core.TestCrypto.DIFFICULTY;
import static org.qdht.kademlia.core.TestCrypto.VERIFIER;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.kademlia.core.RecordCheck.Verdict;
import org.qdht.kademlia.core.TestCrypto.Publisher;

class RecordCheckTest {
    static final long NOW = 1_750_000_000_000L;
    static final long DAY = 86_400_000L;
    static final int MAX_VALUE = 1_024;
    static final Publisher ALICE = new Publisher();
    static final Publisher BOB = new Publisher();
    static final DhtKey KEY = DhtKey.ofName("greeting");

    private final RecordCheck check = new RecordCheck(VERIFIER, DIFFICULTY, DAY, MAX_VALUE);

    @Test
    void aProperlySignedRecordIsValid() {
        assertEquals(Verdict.VALID, check.check(ALICE.publish(KEY, "hello".getBytes(), 1, NOW + 3_600_000), NOW));
        assertEquals(Verdict.VALID, check.check(ALICE.tombstone(KEY, 2, NOW + 3_600_000), NOW), "a tombstone too");
        assertEquals(Verdict.VALID, check.check(ALICE.publish(KEY, new byte[0], 0, NOW + 1), NOW));
        assertEquals(DAY, check.maxLifetimeMillis());
        assertEquals(MAX_VALUE, check.maxValueBytes());
    }

    @Test
    void aFlippedSignatureBitIsForged() {
        PublishedRecord good = ALICE.publish(KEY, "hello".getBytes(), 1, NOW + 3_600_000);
        int bits = good.record().signature().length * 8;
        for (int bit : new int[] { 0, 7, 8, 1_000, bits / 2, bits - 1 }) {
            assertEquals(Verdict.FORGED, check.check(TestCrypto.flipSignatureBit(good, bit), NOW), "bit " + bit);
        }
    }

    @Test
    void anAlteredFieldUnderTheOriginalSignatureIsForged() {
        PublishedRecord good = ALICE.publish(KEY, "hello".getBytes(), 1, NOW + 3_600_000);
        byte[] sig = good.record().signature();
        Record[] altered = {
                ALICE.unsigned(KEY, "hellO".getBytes(), 1, NOW + 3_600_000, false).withSignature(sig),
                ALICE.unsigned(KEY, "hello".getBytes(), 2, NOW + 3_600_000, false).withSignature(sig),
                ALICE.unsigned(KEY, "hello".getBytes(), 1, NOW + 3_600_001, false).withSignature(sig),
                ALICE.unsigned(DhtKey.ofName("other"), "hello".getBytes(), 1, NOW + 3_600_000, false).withSignature(sig) };
        for (Record r : altered) {
            assertEquals(Verdict.FORGED, check.check(ALICE.publish(r), NOW), r.toString());
        }
    }

    @Test
    void aRecordPairedWithAnotherPublishersKeyCannotEvenBeBuilt() {
        // PublishedRecord's constructor checks that the key is the one the record names and that
        // it hashes to the publisher: a record cannot travel with a key that did not make it
        Record alices = ALICE.sign(ALICE.unsigned(KEY, "hello".getBytes(), 1, NOW + 3_600_000, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PublishedRecord(alices, BOB.key.publicKey(), BOB.nonce));
        assertTrue(e.getMessage().contains("not the key the record names"), e.getMessage());
        // naming Bob's key while claiming Alice's NodeId fails on the NodeId
        Record claimsAlice = Record.unsigned(KEY, "hello".getBytes(), 1, NOW + 3_600_000, ALICE.id, BOB.suite.id(),
                BOB.key.publicKey().keyId(), false).withSignature(alices.signature());
        e = assertThrows(IllegalArgumentException.class, () -> new PublishedRecord(claimsAlice, BOB.key.publicKey(), BOB.nonce));
        assertTrue(e.getMessage().contains("publisher NodeId"), e.getMessage());
    }

    @Test
    void aRecordInBobsNameSignedByAliceIsForged() {
        Record forBob = BOB.unsigned(KEY, "hello".getBytes(), 1, NOW + 3_600_000, false);
        Record signedByAlice;
        try {
            byte[] sig = ALICE.suite.signatures().sign(ALICE.key, forBob.toBeSigned()).bytes();
            signedByAlice = forBob.withSignature(sig);
        } catch (CryptoException ex) {
            throw new IllegalStateException(ex);
        }
        assertEquals(Verdict.FORGED, check.check(BOB.publish(signedByAlice), NOW));
    }

    @Test
    void expiredRecordsAreRefused() {
        assertEquals(Verdict.EXPIRED, check.check(ALICE.publish(KEY, "x".getBytes(), 1, NOW - 1), NOW));
        assertEquals(Verdict.EXPIRED, check.check(ALICE.publish(KEY, "x".getBytes(), 1, NOW), NOW), "expiry is exclusive");
        assertEquals(Verdict.EXPIRED, check.check(ALICE.publish(KEY, "x".getBytes(), 1, 0), NOW));
        assertEquals(Verdict.VALID, check.check(ALICE.publish(KEY, "x".getBytes(), 1, NOW + 1), NOW));
    }

    @Test
    void recordsThatWouldLiveTooLongAreRefused() {
        assertEquals(Verdict.VALID, check.check(ALICE.publish(KEY, "x".getBytes(), 1, NOW + DAY), NOW));
        assertEquals(Verdict.TOO_LONG_LIVED, check.check(ALICE.publish(KEY, "x".getBytes(), 1, NOW + DAY + 1), NOW));
        assertEquals(Verdict.TOO_LONG_LIVED, check.check(ALICE.publish(KEY, "x".getBytes(), 1, Long.MAX_VALUE), NOW));
    }

    @Test
    void oversizedValuesAreRefused() {
        assertEquals(Verdict.VALID, check.check(ALICE.publish(KEY, new byte[MAX_VALUE], 1, NOW + 1_000), NOW));
        assertEquals(Verdict.OVERSIZED, check.check(ALICE.publish(KEY, new byte[MAX_VALUE + 1], 1, NOW + 1_000), NOW));
    }

    @Test
    void aNonceThatDoesNotSolveThePuzzleIsRefused() {
        PublishedRecord good = ALICE.publish(KEY, "x".getBytes(), 1, NOW + 1_000);
        long bad = ALICE.nonce + 1;
        while (NodeIdPuzzle.verify(ALICE.id, bad, DIFFICULTY)) {
            bad++;
        }
        PublishedRecord badNonce = new PublishedRecord(good.record(), good.publisherKey(), bad);
        assertEquals(Verdict.BAD_PUZZLE, check.check(badNonce, NOW));
        // a nonce that proves less work than the network asks for
        long weak = 0;
        while (!NodeIdPuzzle.verify(ALICE.id, weak, 1) || NodeIdPuzzle.verify(ALICE.id, weak, DIFFICULTY)) {
            weak++;
        }
        PublishedRecord weakProof = new PublishedRecord(good.record(), good.publisherKey(), weak);
        assertEquals(Verdict.BAD_PUZZLE, check.check(weakProof, NOW));
        assertEquals(Verdict.VALID, new RecordCheck(VERIFIER, 1, DAY, MAX_VALUE).check(weakProof, NOW));
    }

    @Test
    void aSuiteThatIsNotInstalledIsReportedAsSuch() {
        Publisher other = new Publisher(TestCrypto.OTHER_SUITE, DIFFICULTY);
        PublishedRecord r = other.publish(KEY, "x".getBytes(), 1, NOW + 1_000);
        assertEquals(Verdict.UNKNOWN_SUITE, check.check(r, NOW));
        RecordCheck both = new RecordCheck(new TestCrypto.Verifier(List.of(TestCrypto.SUITE, TestCrypto.OTHER_SUITE)), DIFFICULTY, DAY, MAX_VALUE);
        assertEquals(Verdict.VALID, both.check(r, NOW), "installed, it verifies");
    }

    @Test
    void cheapChecksComeBeforeTheSignature() {
        TestCrypto.Verifier counting = new TestCrypto.Verifier(List.of(TestCrypto.SUITE));
        RecordCheck c = new RecordCheck(counting, DIFFICULTY, DAY, MAX_VALUE);
        PublishedRecord forgedAndExpired = TestCrypto.flipSignatureBit(ALICE.publish(KEY, "x".getBytes(), 1, NOW - 1), 3);
        assertEquals(Verdict.EXPIRED, c.check(forgedAndExpired, NOW));
        PublishedRecord forgedAndLong = TestCrypto.flipSignatureBit(ALICE.publish(KEY, "x".getBytes(), 1, NOW + 2 * DAY), 3);
        assertEquals(Verdict.TOO_LONG_LIVED, c.check(forgedAndLong, NOW));
        PublishedRecord forgedAndBig = TestCrypto.flipSignatureBit(ALICE.publish(KEY, new byte[MAX_VALUE + 1], 1, NOW + 1), 3);
        assertEquals(Verdict.OVERSIZED, c.check(forgedAndBig, NOW));
        PublishedRecord forged = TestCrypto.flipSignatureBit(ALICE.publish(KEY, "x".getBytes(), 1, NOW + 1), 3);
        PublishedRecord forgedBadPuzzle = new PublishedRecord(forged.record(), forged.publisherKey(), badNonce(ALICE));
        assertEquals(Verdict.BAD_PUZZLE, c.check(forgedBadPuzzle, NOW));
        assertEquals(0, counting.recordVerifications, "junk never reaches the post-quantum verification");
        assertEquals(Verdict.FORGED, c.check(forged, NOW));
        assertEquals(1, counting.recordVerifications);
    }

    private static long badNonce(Publisher p) {
        long n = p.nonce + 1;
        while (NodeIdPuzzle.verify(p.id, n, DIFFICULTY)) {
            n++;
        }
        return n;
    }

    @Test
    void aVerifierThatCannotMatchKeyAndSignatureMeansForged() {
        SignatureVerifier mismatching = new SignatureVerifier() {
            @Override
            public List<SuiteId> installedSuites() {
                return List.of(TestCrypto.SUITE.id());
            }

            @Override
            public Optional<CryptoSuite> suite(SuiteId id) {
                return Optional.of(TestCrypto.SUITE);
            }

            @Override
            public boolean verify(EncodedPublicKey key, byte[] message, SuiteSignature signature) throws CryptoException {
                throw new CryptoException(CryptoException.Reason.SUITE_MISMATCH, "mismatch");
            }

            @Override
            public boolean verify(Record record, EncodedPublicKey publisherKey) throws CryptoException {
                throw new CryptoException(CryptoException.Reason.SUITE_MISMATCH, "mismatch");
            }

            @Override
            public boolean verify(KeyRotation rotation) {
                return false;
            }
        };
        RecordCheck c = new RecordCheck(mismatching, DIFFICULTY, DAY, MAX_VALUE);
        assertEquals(Verdict.FORGED, c.check(ALICE.publish(KEY, "x".getBytes(), 1, NOW + 1), NOW));
    }

    @Test
    void everyVerdictNamesItsCounter() {
        assertEquals("record-valid", Verdict.VALID.counterName());
        assertEquals("record-forged", Verdict.FORGED.counterName());
        assertEquals("record-expired", Verdict.EXPIRED.counterName());
        assertEquals("record-too-long-lived", Verdict.TOO_LONG_LIVED.counterName());
        assertEquals("record-oversized", Verdict.OVERSIZED.counterName());
        assertEquals("record-bad-puzzle", Verdict.BAD_PUZZLE.counterName());
        assertEquals("record-unknown-suite", Verdict.UNKNOWN_SUITE.counterName());
        assertFalse(Verdict.VALID.counterName().equals(Verdict.FORGED.counterName()));
    }
}
