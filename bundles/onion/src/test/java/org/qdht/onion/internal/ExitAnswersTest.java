package org.qdht.onion.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.crypto.bc.Suites;
import org.qdht.kademlia.simulator.SuiteVerifier;

/** A lying exit: what the client refuses of the records an exit returns. */
class ExitAnswersTest {
    private static final CryptoSuite SUITE = Suites.xwingMlDsa65(new SecureRandom());
    private static final SuiteVerifier VERIFIER = new SuiteVerifier(List.of(SUITE));
    private static final DhtKey KEY = DhtKey.ofName("greeting");
    private static final long NOW = System.currentTimeMillis();

    private static PublishedRecord publish(DhtKey key, String value, long expires, int difficulty) throws Exception {
        KeyPair signer = SUITE.signatures().generateKeyPair();
        NodeId publisher = NodeIdPuzzle.nodeIdOf(SUITE.id(), signer.publicKey().key());
        long nonce = NodeIdPuzzle.solve(publisher, difficulty, n -> { });
        Record unsigned = Record.unsigned(key, value.getBytes(StandardCharsets.UTF_8), 1, expires, publisher, SUITE.id(),
                signer.publicKey().keyId(), false);
        Record signed = unsigned.withSignature(SUITE.signatures().sign(signer, unsigned.toBeSigned()).bytes());
        return new PublishedRecord(signed, signer.publicKey(), nonce);
    }

    private static boolean accepted(PublishedRecord r, DhtKey key) {
        return ExitAnswers.acceptable(r, key, VERIFIER, 8, NOW);
    }

    @Test
    void anHonestAnswerIsAccepted() throws Exception {
        assertTrue(accepted(publish(KEY, "hello", NOW + 60_000, 8), KEY));
    }

    @Test
    void aRecordForAnotherKeyIsRefused() throws Exception {
        assertFalse(accepted(publish(DhtKey.ofName("other"), "hello", NOW + 60_000, 8), KEY), "a substituted record");
    }

    @Test
    void anExpiredRecordIsRefused() throws Exception {
        assertFalse(accepted(publish(KEY, "old", NOW - 1, 8), KEY));
    }

    @Test
    void aForgedSignatureIsRefused() throws Exception {
        PublishedRecord genuine = publish(KEY, "hello", NOW + 60_000, 8);
        byte[] signature = genuine.record().signature();
        signature[100] ^= 1;
        Record r = genuine.record();
        Record altered = Record.unsigned(r.key(), "forged".getBytes(StandardCharsets.UTF_8), r.version(), r.expiresAtMillis(), r.publisher(),
                r.suite(), r.keyId(), false).withSignature(genuine.record().signature());
        assertFalse(accepted(new PublishedRecord(r.withSignature(signature), genuine.publisherKey(), genuine.puzzleNonce()), KEY), "a flipped bit");
        assertFalse(accepted(new PublishedRecord(altered, genuine.publisherKey(), genuine.puzzleNonce()), KEY), "another value under the signature");
    }

    @Test
    void aPublisherWithoutEnoughWorkIsRefused() throws Exception {
        PublishedRecord cheap = publish(KEY, "sybil", NOW + 60_000, 0);
        boolean solvesEight = NodeIdPuzzle.verify(cheap.record().publisher(), cheap.puzzleNonce(), 8);
        assertTrue(accepted(cheap, KEY) == solvesEight, "accepted exactly when the nonce happens to show 8 bits");
        assertFalse(ExitAnswers.acceptable(publish(KEY, "sybil", NOW + 60_000, 8), KEY, VERIFIER, 30, NOW),
                "8 bits of work fall short of 30");
    }

    @Test
    void aSuiteTheNodeLacksIsRefusedWithoutAnException() throws Exception {
        SuiteVerifier other = new SuiteVerifier(List.of(Suites.mlKem512MlDsa44(new SecureRandom())));
        assertFalse(ExitAnswers.acceptable(publish(KEY, "hello", NOW + 60_000, 8), KEY, other, 8, NOW));
    }
}
