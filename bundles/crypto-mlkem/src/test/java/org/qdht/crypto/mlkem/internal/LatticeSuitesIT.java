package org.qdht.crypto.mlkem.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Hashtable;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
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

/** The lattice suite bundle in a real Felix with SCR, ConfigAdmin and the node bundle. */
class LatticeSuitesIT {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    @Test
    void registersEveryLatticeSuiteWithItsCodeAndName() throws Exception {
        awaitSuites(4);
        Set<String> names = new TreeSet<>();
        for (ServiceReference<CryptoSuite> ref : context.getServiceReferences(CryptoSuite.class, null)) {
            CryptoSuite suite = context.getService(ref);
            assertEquals(suite.id().code(), ref.getProperty(CryptoSuite.SUITE_CODE_PROPERTY));
            assertEquals(suite.id().name(), ref.getProperty(CryptoSuite.SUITE_NAME_PROPERTY));
            names.add(suite.id().name());
            context.ungetService(ref);
        }
        assertEquals(new TreeSet<>(Set.of("xwing-mldsa65", "mlkem512-mldsa44", "mlkem768-mldsa65", "mlkem1024-mldsa87")), names);
    }

    @Test
    void everySuiteServiceSignsVerifiesAndAgreesOnSecrets() throws Exception {
        awaitSuites(4);
        byte[] message = "record to sign".getBytes(StandardCharsets.UTF_8);
        for (ServiceReference<CryptoSuite> ref : context.getServiceReferences(CryptoSuite.class, null)) {
            CryptoSuite suite = context.getService(ref);
            try (KeyPair signer = suite.signatures().generateKeyPair(); KeyPair kem = suite.kem().generateKeyPair()) {
                SuiteSignature sig = suite.signatures().sign(signer, message);
                assertTrue(suite.signatures().verify(signer.publicKey(), message, sig), suite + " verifies its own signature");
                byte[] tampered = sig.bytes();
                tampered[tampered.length / 2] ^= 1;
                assertFalse(suite.signatures().verify(signer.publicKey(), message,
                        SuiteSignature.of(sig.suite(), sig.keyId(), tampered)), suite + " refuses a tampered signature");

                Encapsulation enc = suite.kem().encapsulate(kem.publicKey());
                SecretBytes theirs = suite.kem().decapsulate(kem, enc.ciphertext());
                assertArrayEquals(enc.sharedSecret().copy(), theirs.copy(), suite + " shared secrets agree");
            } finally {
                context.ungetService(ref);
            }
        }
    }

    @Test
    void tamperedCiphertextYieldsASecretThatFailsAuthentication() throws Exception {
        CryptoSuite suite = awaitSuite(SuiteId.XWING_MLDSA65);
        try (KeyPair kem = suite.kem().generateKeyPair()) {
            Encapsulation enc = suite.kem().encapsulate(kem.publicKey());
            byte[] nonce = new byte[suite.aead().nonceSize()];
            byte[] sealed = suite.aead().seal(enc.sharedSecret(), nonce, new byte[0], "hello".getBytes(StandardCharsets.UTF_8));
            byte[] ct = enc.ciphertext().bytes();
            ct[0] ^= 1;
            SecretBytes wrong = suite.kem().decapsulate(kem, KemCiphertext.of(suite.id(), kem.publicKey().keyId(), ct));
            CryptoException e = assertThrows(CryptoException.class, () -> suite.aead().open(wrong, nonce, new byte[0], sealed));
            assertEquals(CryptoException.Reason.AUTHENTICATION_FAILED, e.reason());
        }
    }

    @Test
    void configurationWithdrawsAndRestoresSuitesLive() throws Exception {
        awaitSuites(4);
        Configuration c = cm.getConfiguration("org.qdht.crypto.mlkem", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("suites", new String[] {"xwing-mldsa65"});
        c.update(props);
        try {
            awaitSuites(1);
            assertEquals(SuiteId.XWING_MLDSA65, awaitSuite(SuiteId.XWING_MLDSA65).id());
        } finally {
            c.delete();
        }
        awaitSuites(4);
    }

    @Test
    void aNodeTakesTheConfiguredSuiteOnceItIsInstalled() throws Exception {
        awaitSuites(4);
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", "lattice");
        props.put("suite", "mlkem768-mldsa65");
        c.update(props);
        try {
            QdhtNode node = awaitNode("lattice");
            // the identity (key pair and NodeId puzzle) is made in the background
            await("NodeId of node lattice").atMost(TIMEOUT).until(() -> node.status().nodeId().isPresent());
            NodeStatus status = node.status();
            assertEquals(SuiteId.MLKEM768_MLDSA65, status.activeSuite().orElseThrow());
            assertTrue(status.nodeId().isPresent(), "an identity under the configured suite gives the node its NodeId");
            assertTrue(status.problems().stream().noneMatch(p -> p.startsWith("no crypto suite") || p.startsWith("configured suite")),
                    status.problems().toString());
        } finally {
            c.delete();
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private void awaitSuites(int count) {
        try {
            await(count + " suites").atMost(TIMEOUT).until(() -> context.getServiceReferences(CryptoSuite.class, null).size() == count);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + componentStates(), e); // why SCR did not activate
        }
    }

    /** What SCR says about this bundle's components, so a failed activation shows its cause. */
    private String componentStates() {
        ServiceReference<org.osgi.service.component.runtime.ServiceComponentRuntime> ref =
                context.getServiceReference(org.osgi.service.component.runtime.ServiceComponentRuntime.class);
        var scr = context.getService(ref);
        StringBuilder out = new StringBuilder();
        for (var description : scr.getComponentDescriptionDTOs(context.getBundle())) {
            for (var c : scr.getComponentConfigurationDTOs(description)) {
                out.append("; ").append(description.name).append(" state ").append(c.state)
                        .append(c.failure == null ? "" : " failure: " + c.failure);
            }
        }
        context.ungetService(ref);
        return out.toString();
    }

    private CryptoSuite awaitSuite(SuiteId id) {
        return awaitService(CryptoSuite.class, "(" + CryptoSuite.SUITE_CODE_PROPERTY + "=" + id.code() + ")");
    }

    private QdhtNode awaitNode(String name) {
        return awaitService(QdhtNode.class, "(qdht.node.name=" + name + ")");
    }

    private <T> T awaitService(Class<T> type, String filter) {
        ServiceReference<T> ref = await(type.getSimpleName() + " " + filter).atMost(TIMEOUT)
                .until(() -> context.getServiceReferences(type, filter).stream().findFirst().orElse(null), Objects::nonNull);
        return context.getService(ref);
    }
}
