package org.qdht.crypto.sphincs.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.Record;

/**
 * Records signed under two suites, verified through the framework's SignatureVerifier, which
 * picks the suite each record names: both verify while both suite bundles are installed; with the
 * SLH-DSA bundle stopped its records cannot be checked (a clear UNSUPPORTED error, not a false
 * "invalid") while the ML-DSA records still verify.
 */
class SignatureVerifierIT {
    static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(10);

    @InjectBundleContext
    BundleContext context;

    @Test
    void recordsSignedUnderOlderSuitesStayVerifiableWhileTheirSuiteIsInstalled(
            @InjectService(timeout = 10_000) SignatureVerifier verifier) throws Exception {
        await("eight installed suites").atMost(TIMEOUT).until(() -> verifier.installedSuites().size() == 8);
        CryptoSuite lattice = verifier.suite(SuiteId.XWING_MLDSA65).orElseThrow();
        CryptoSuite hashBased = verifier.suite(SuiteId.MLKEM1024_SLHDSA_SHA2_128F).orElseThrow();
        KeyPair latticeKey = lattice.signatures().generateKeyPair();
        KeyPair hashKey = hashBased.signatures().generateKeyPair();
        Record a = signed(lattice, latticeKey, "under ML-DSA");
        Record b = signed(hashBased, hashKey, "under SLH-DSA");

        assertTrue(verifier.verify(a, latticeKey.publicKey()));
        assertTrue(verifier.verify(b, hashKey.publicKey()));
        byte[] forged = a.signature();
        forged[7] ^= 1;
        assertFalse(verifier.verify(a.withSignature(forged), latticeKey.publicKey()), "a tampered record fails");
        assertEquals(CryptoException.Reason.SUITE_MISMATCH,
                assertThrows(CryptoException.class, () -> verifier.verify(a, hashKey.publicKey())).reason());

        Bundle sphincs = Arrays.stream(context.getBundles()).filter(x -> "org.qdht.crypto.sphincs".equals(x.getSymbolicName()))
                .findFirst().orElseThrow();
        sphincs.stop();
        try {
            CryptoException e = assertThrows(CryptoException.class, () -> verifier.verify(b, hashKey.publicKey()));
            assertEquals(CryptoException.Reason.UNSUPPORTED, e.reason());
            assertTrue(e.getMessage().contains("not installed"), e.getMessage());
            assertTrue(verifier.verify(a, latticeKey.publicKey()), "records of installed suites still verify");
        } finally {
            sphincs.start();
        }
        await("suites back").atMost(TIMEOUT).until(() -> verifier.installedSuites().size() == 8);
        assertTrue(verifier.verify(b, hashKey.publicKey()), "verifiable again once the suite is back");
    }

    private static Record signed(CryptoSuite suite, KeyPair key, String value) throws CryptoException {
        Record unsigned = Record.unsigned(DhtKey.ofName(value), value.getBytes(StandardCharsets.UTF_8), 1,
                System.currentTimeMillis() + 60_000, NodeIdPuzzle.nodeIdOf(suite.id(), key.publicKey().key()), suite.id(),
                key.publicKey().keyId(), false);
        return unsigned.withSignature(suite.signatures().sign(key, unsigned.toBeSigned()).bytes());
    }
}
