package org.qdht.crypto.sphincs.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.node.NodeStatus;
import org.qdht.api.node.QdhtNode;

/**
 * The hash-based suite bundle beside the lattice bundle and the node bundle, in a real Felix. The
 * test bundle is not a fragment of the suite bundle, so it can stop and restart it.
 */
class HashBasedSuitesIT {
    static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(10);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    @Test
    void bothSuiteBundlesTogetherOfferEightSuites() throws Exception {
        awaitSuiteCount(8);
    }

    @Test
    void conservativeSuiteSignsVerifiesAndAgreesOnSecrets() throws Exception {
        CryptoSuite suite = awaitSuite(SuiteId.MLKEM1024_SLHDSA_SHA2_128F);
        assertEquals("SLH-DSA-SHA2-128f", suite.signatures().algorithm());
        assertEquals("ML-KEM-1024", suite.kem().algorithm());
        byte[] message = "manifest".getBytes(StandardCharsets.UTF_8);
        try (KeyPair signer = suite.signatures().generateKeyPair(); KeyPair kem = suite.kem().generateKeyPair()) {
            SuiteSignature sig = suite.signatures().sign(signer, message);
            assertEquals(17_088, sig.size());
            assertTrue(suite.signatures().verify(signer.publicKey(), message, sig));
            byte[] tampered = sig.bytes();
            tampered[100] ^= 1;
            assertFalse(suite.signatures().verify(signer.publicKey(), message, SuiteSignature.of(sig.suite(), sig.keyId(), tampered)));
            assertFalse(suite.signatures().verify(signer.publicKey(), "other".getBytes(StandardCharsets.UTF_8), sig));
            Encapsulation enc = suite.kem().encapsulate(kem.publicKey());
            assertEquals(1568, enc.ciphertext().size());
            assertArrayEquals(enc.sharedSecret().copy(), suite.kem().decapsulate(kem, enc.ciphertext()).copy());
        }
    }

    @Test
    void stoppingTheBundleWithdrawsItsSuitesAndTheNodeFallsBack() throws Exception {
        awaitSuiteCount(8);
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", "conservative");
        props.put("suite", "mlkem1024-slhdsa-sha2-128f");
        c.update(props);
        Bundle sphincs = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "org.qdht.crypto.sphincs".equals(b.getSymbolicName())).findFirst().orElseThrow();
        try {
            QdhtNode node = awaitNode("conservative");
            awaitTrue(() -> node.status().activeSuite().isPresent(), "suite active");
            assertEquals(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, node.status().activeSuite().get());

            sphincs.stop();
            awaitSuiteCount(4);
            // the node falls back to the first installed fallback suite and says why
            awaitTrue(() -> node.status().activeSuite().equals(java.util.Optional.of(SuiteId.XWING_MLDSA65)), "fallback suite");
            NodeStatus after = node.status();
            assertTrue(after.problems().stream().anyMatch(p -> p.startsWith("configured suite mlkem1024-slhdsa-sha2-128f is not installed")),
                    after.problems().toString());
        } finally {
            sphincs.start();
            c.delete();
        }
        awaitSuiteCount(8);
    }

    // --- helpers -------------------------------------------------------------------------------

    private static void awaitTrue(Callable<Boolean> check, String what) {
        await(what).atMost(TIMEOUT).until(check);
    }

    private void awaitSuiteCount(int count) throws Exception {
        awaitTrue(() -> context.getServiceReferences(CryptoSuite.class, null).size() == count, count + " suites");
    }

    private CryptoSuite awaitSuite(SuiteId id) {
        return awaitService(CryptoSuite.class, "(" + CryptoSuite.SUITE_CODE_PROPERTY + "=" + id.code() + ")");
    }

    private QdhtNode awaitNode(String name) {
        return awaitService(QdhtNode.class, "(qdht.node.name=" + name + ")");
    }

    private <T> T awaitService(Class<T> type, String filter) {
        ServiceReference<T> ref = await(type.getSimpleName() + " " + filter).atMost(TIMEOUT)
                .until(() -> context.getServiceReferences(type, filter).stream().findFirst().orElse(null), java.util.Objects::nonNull);
        return context.getService(ref);
    }
}
