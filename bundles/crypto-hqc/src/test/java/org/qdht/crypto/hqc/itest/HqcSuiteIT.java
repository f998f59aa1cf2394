package org.qdht.crypto.hqc.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.node.NodeStatus;
import org.qdht.api.node.QdhtNode;

/**
 * The code-based suite bundle beside the lattice bundle and the node bundle, in a real Felix: an
 * extension bundle that adds a suite without touching the others. The test bundle is not a
 * fragment of the suite bundle, so it can stop and restart it, and it sees the suite only through
 * the API, as any consumer does.
 */
class HqcSuiteIT {
    static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(20);
    static final String HQC_BUNDLE = "org.qdht.crypto.hqc";
    static final Set<Integer> LATTICE_CODES = Set.of(0x0001, 0x0002, 0x0003, 0x0004);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    @Test
    void theSuiteServiceAppearsWithItsCodeAndNameBesideTheLatticeSuites() throws Exception {
        awaitSuiteCount(5);
        ServiceReference<CryptoSuite> ref = awaitSuiteRef(SuiteId.HQC128_X25519_MLDSA65);
        assertEquals(0x0020, ref.getProperty(CryptoSuite.SUITE_CODE_PROPERTY));
        assertEquals("hqc128-x25519-mldsa65", ref.getProperty(CryptoSuite.SUITE_NAME_PROPERTY));
        assertEquals(HQC_BUNDLE, ref.getBundle().getSymbolicName());
        CryptoSuite suite = context.getService(ref);
        try {
            assertEquals(SuiteId.HQC128_X25519_MLDSA65, suite.id());
            assertEquals("HQC-128+X25519", suite.kem().algorithm());
            assertEquals("ML-DSA-65", suite.signatures().algorithm());
            assertEquals("ChaCha20-Poly1305", suite.aead().algorithm());
            assertEquals("HKDF-SHA-256", suite.kdf().algorithm());
        } finally {
            context.ungetService(ref);
        }
        Set<Integer> codes = new TreeSet<>();
        for (ServiceReference<CryptoSuite> r : context.getServiceReferences(CryptoSuite.class, null)) {
            codes.add((Integer) r.getProperty(CryptoSuite.SUITE_CODE_PROPERTY));
        }
        assertEquals(new TreeSet<>(Set.of(0x0001, 0x0002, 0x0003, 0x0004, 0x0020)), codes);
    }

    @Test
    void signsVerifiesAndAgreesOnSecretsThroughTheService() throws Exception {
        ServiceReference<CryptoSuite> ref = awaitSuiteRef(SuiteId.HQC128_X25519_MLDSA65);
        CryptoSuite suite = context.getService(ref);
        byte[] message = "record signed under the code-based suite".getBytes(StandardCharsets.UTF_8);
        try (KeyPair signer = suite.signatures().generateKeyPair(); KeyPair kem = suite.kem().generateKeyPair()) {
            SuiteSignature sig = suite.signatures().sign(signer, message);
            assertEquals(3309, sig.size());
            assertTrue(suite.signatures().verify(signer.publicKey(), message, sig));
            byte[] tampered = sig.bytes();
            tampered[42] ^= 1;
            assertFalse(suite.signatures().verify(signer.publicKey(), message, SuiteSignature.of(sig.suite(), sig.keyId(), tampered)));

            assertEquals(2273, kem.publicKey().size());
            Encapsulation enc = suite.kem().encapsulate(kem.publicKey());
            assertEquals(4465, enc.ciphertext().size());
            try (SecretBytes theirs = suite.kem().decapsulate(kem, enc.ciphertext())) {
                assertArrayEquals(enc.sharedSecret().copy(), theirs.copy());
            }
            byte[] ct = enc.ciphertext().bytes();
            ct[10] ^= 1;
            try (SecretBytes other = suite.kem().decapsulate(kem, KemCiphertext.of(enc.ciphertext().suite(),
                    enc.ciphertext().recipientKey(), ct))) {
                assertFalse(Arrays.equals(enc.sharedSecret().copy(), other.copy()), "implicit rejection");
            }
            // keys of a lattice suite are refused through the service too
            ServiceReference<CryptoSuite> xwingRef = awaitSuiteRef(SuiteId.XWING_MLDSA65);
            try (KeyPair lattice = context.getService(xwingRef).kem().generateKeyPair()) {
                CryptoException e = assertThrows(CryptoException.class, () -> suite.kem().encapsulate(lattice.publicKey()));
                assertEquals(CryptoException.Reason.SUITE_MISMATCH, e.reason());
            } finally {
                context.ungetService(xwingRef);
            }
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    void stoppingTheBundleWithdrawsItsSuiteWhileTheLatticeSuitesStay() throws Exception {
        awaitSuiteCount(5);
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", "hedged");
        props.put("suite", "hqc128-x25519-mldsa65");
        c.update(props);
        Bundle hqc = Arrays.stream(context.getBundles()).filter(b -> HQC_BUNDLE.equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        try {
            QdhtNode node = awaitNode("hedged");
            awaitTrue(() -> node.status().activeSuite().isPresent(), "suite active");
            assertEquals(SuiteId.HQC128_X25519_MLDSA65, node.status().activeSuite().get());

            hqc.stop();
            awaitSuiteCount(4);
            assertEquals(LATTICE_CODES, suiteCodes(), "the lattice suites stay");
            // the node leaves the withdrawn suite: for a fallback lattice suite (or none, if it has no
            // fallback) and says why
            awaitTrue(() -> !node.status().activeSuite().equals(Optional.of(SuiteId.HQC128_X25519_MLDSA65)), "node off the HQC suite");
            NodeStatus after = node.status();
            after.activeSuite().ifPresent(s -> assertTrue(LATTICE_CODES.contains(s.code()), "fell back to " + s));
            assertTrue(after.problems().stream().anyMatch(p -> p.startsWith("configured suite hqc128-x25519-mldsa65 is not installed")),
                    after.problems().toString());

            hqc.start();
            awaitSuiteCount(5);
            awaitTrue(() -> node.status().activeSuite().equals(Optional.of(SuiteId.HQC128_X25519_MLDSA65)),
                    "node back on the HQC suite after the bundle restarts");
        } finally {
            if (hqc.getState() != Bundle.ACTIVE) {
                hqc.start();
            }
            c.delete();
        }
        awaitSuiteCount(5);
    }

    @Test
    void configurationWithdrawsAndRestoresTheSuite() throws Exception {
        awaitSuiteCount(5);
        Configuration c = cm.getConfiguration("org.qdht.crypto.hqc", "?");
        try {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("suites", new String[0]);
            c.update(props);
            awaitSuiteCount(4);
            assertEquals(LATTICE_CODES, suiteCodes());

            props.put("suites", new String[] {"hqc128-x25519-mldsa65"});
            c.update(props);
            awaitSuiteCount(5);
            awaitSuiteRef(SuiteId.HQC128_X25519_MLDSA65);
        } finally {
            c.delete();
        }
        awaitSuiteCount(5);
    }

    // --- helpers -------------------------------------------------------------------------------

    private static void awaitTrue(Callable<Boolean> check, String what) {
        await(what).atMost(TIMEOUT).until(check);
    }

    private Set<Integer> suiteCodes() throws Exception {
        Set<Integer> codes = new TreeSet<>();
        for (ServiceReference<CryptoSuite> r : context.getServiceReferences(CryptoSuite.class, null)) {
            codes.add((Integer) r.getProperty(CryptoSuite.SUITE_CODE_PROPERTY));
        }
        return codes;
    }

    private void awaitSuiteCount(int count) throws Exception {
        awaitTrue(() -> context.getServiceReferences(CryptoSuite.class, null).size() == count, count + " suites");
    }

    private ServiceReference<CryptoSuite> awaitSuiteRef(SuiteId id) throws Exception {
        String filter = "(" + CryptoSuite.SUITE_CODE_PROPERTY + "=" + id.code() + ")";
        awaitTrue(() -> !context.getServiceReferences(CryptoSuite.class, filter).isEmpty(), "suite " + id);
        Collection<ServiceReference<CryptoSuite>> refs = context.getServiceReferences(CryptoSuite.class, filter);
        return refs.iterator().next();
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
