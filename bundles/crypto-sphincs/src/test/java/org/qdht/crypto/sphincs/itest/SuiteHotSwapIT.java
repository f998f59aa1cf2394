package org.qdht.crypto.sphincs.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.node.QdhtNode;

/**
 * A live suite switch, as the crypto issue asks: while a signer keeps signing with the node's
 * identity, the node moves from ML-DSA-65 (X-Wing suite) to SLH-DSA (conservative suite), then the
 * SLH-DSA bundle is uninstalled and the node falls back. Nothing may fail verification, the rotation
 * statement must verify under the old key, and every signature made along the way must still
 * verify at the end.
 */
class SuiteHotSwapIT {
    static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    /** One signature made during the run, with the key that made it. */
    record Signed(byte[] message, SuiteSignature signature, EncodedPublicKey key) {
    }

    @Test
    void nodeSwitchesSuitesWhileASignerKeepsSigning() throws Exception {
        awaitTrue(() -> context.getServiceReferences(CryptoSuite.class, null).size() == 8, "both suite bundles");
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", "swapper");
        props.put("suite", "xwing-mldsa65");
        props.put("puzzleDifficulty", 10);
        c.update(props);
        Bundle sphincs = bundle("org.qdht.crypto.sphincs");
        String sphincsLocation = sphincs.getLocation();
        boolean uninstalled = false;
        List<Signed> made = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread signer = new Thread(() -> signUntilStopped(running, made, failures), "test-signer");
        try {
            NodeIdentity first = awaitIdentity(SuiteId.XWING_MLDSA65);
            NodeId originalId = first.nodeId();
            assertTrue(NodeIdPuzzle.verify(originalId, first.puzzleNonce(), 10), "the NodeId carries its proof of work");
            signer.start();
            awaitTrue(() -> made.size() >= 5, "signatures under ML-DSA");

            // switch to the conservative suite through the node's configuration
            Dictionary<String, Object> next = c.getProperties();
            next.put("suite", "mlkem1024-slhdsa-sha2-128f");
            c.update(next);
            NodeIdentity slh = awaitIdentity(SuiteId.MLKEM1024_SLHDSA_SHA2_128F);
            assertNotEquals(originalId, slh.nodeId());
            assertEquals(1, slh.rotations().size());
            KeyRotation rotation = slh.rotations().get(0);
            assertEquals(first.signingKey(), rotation.oldKey());
            assertEquals(slh.signingKey(), rotation.newKey());
            assertTrue(suite(SuiteId.XWING_MLDSA65).signatures().verify(rotation.oldKey(), rotation.toBeSigned(), rotation.signature()),
                    "the old key signed the rotation");
            int before = made.size();
            awaitTrue(() -> countBy(made, SuiteId.MLKEM1024_SLHDSA_SHA2_128F) >= 3 && made.size() > before, "signatures under SLH-DSA");

            // uninstall the conservative suite's bundle: the node falls back to X-Wing/ML-DSA and its earlier key
            sphincs.uninstall();
            uninstalled = true;
            NodeIdentity back = awaitIdentity(SuiteId.XWING_MLDSA65);
            assertEquals(originalId, back.nodeId(), "the fallback reuses the node's earlier key and NodeId");
            QdhtNode node = node("swapper");
            assertTrue(node.status().problems().stream().anyMatch(p -> p.contains("running on fallback xwing-mldsa65")),
                    node.status().problems().toString());
            int afterFallback = made.size();
            awaitTrue(() -> made.size() >= afterFallback + 3, "signatures after the fallback");
        } finally {
            running.set(false);
            signer.join(10_000);
            if (uninstalled) {
                context.installBundle(sphincsLocation).start();
            }
            c.delete();
        }
        assertEquals(List.of(), failures, "no signature failed verification during the switches");

        // every signature made along the way still verifies, whichever suite made it
        awaitTrue(() -> context.getServiceReferences(CryptoSuite.class, null).size() == 8, "suites back");
        Map<SuiteId, Integer> bySuite = new HashMap<>();
        for (Signed s : made) {
            assertTrue(suite(s.signature().suite()).signatures().verify(s.key(), s.message(), s.signature()),
                    "old signature " + s.signature() + " still verifies");
            bySuite.merge(s.signature().suite(), 1, Integer::sum);
        }
        assertTrue(bySuite.getOrDefault(SuiteId.XWING_MLDSA65, 0) >= 8 && bySuite.getOrDefault(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, 0) >= 3,
                "signatures under both suites: " + bySuite);
    }

    /** Signs with whatever identity the node has now and checks each signature at once where it can. */
    private void signUntilStopped(AtomicBoolean running, List<Signed> made, List<String> failures) {
        int i = 0;
        while (running.get()) {
            try {
                Optional<NodeIdentity> identity = currentIdentity();
                if (identity.isEmpty()) {
                    failures.add("no identity at signature " + i);
                    Thread.sleep(5);
                    continue;
                }
                byte[] message = ("message " + i++).getBytes(StandardCharsets.UTF_8);
                SuiteSignature sig = identity.get().sign(message);
                EncodedPublicKey key = keyFor(identity.get(), sig.keyId());
                Optional<CryptoSuite> verifier = findSuite(sig.suite());
                if (verifier.isPresent() && !verifier.get().signatures().verify(key, message, sig)) {
                    failures.add("signature " + i + " under " + sig.suite() + " does not verify");
                }
                made.add(new Signed(message, sig, key));
                Thread.sleep(2);
            } catch (Exception e) {
                failures.add("signature " + i + ": " + e);
            }
        }
    }

    private static EncodedPublicKey keyFor(NodeIdentity identity, KeyId keyId) {
        if (identity.signingKey().keyId().equals(keyId)) {
            return identity.signingKey();
        }
        for (KeyRotation r : identity.rotations()) {
            if (r.oldKey().keyId().equals(keyId)) {
                return r.oldKey();
            }
        }
        throw new AssertionError("no key " + keyId + " in the identity or its rotations");
    }

    private static int countBy(List<Signed> made, SuiteId suite) {
        synchronized (made) {
            return (int) made.stream().filter(s -> s.signature().suite().equals(suite)).count();
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private static void awaitTrue(Callable<Boolean> check, String what) {
        await(what).atMost(TIMEOUT).until(check);
    }

    private Optional<NodeIdentity> currentIdentity() throws Exception {
        var refs = new ArrayList<>(context.getServiceReferences(NodeIdentity.class, "(qdht.node.name=swapper)"));
        if (refs.isEmpty()) {
            return Optional.empty();
        }
        refs.sort(Collections.reverseOrder());
        NodeIdentity identity = context.getService(refs.get(0));
        context.ungetService(refs.get(0));
        return Optional.ofNullable(identity);
    }

    private NodeIdentity awaitIdentity(SuiteId suite) throws Exception {
        String filter = "(&(qdht.node.name=swapper)(qdht.suite.code=" + suite.code() + "))";
        awaitTrue(() -> !context.getServiceReferences(NodeIdentity.class, filter).isEmpty(), "identity under " + suite);
        ServiceReference<NodeIdentity> ref = context.getServiceReferences(NodeIdentity.class, filter).iterator().next();
        return context.getService(ref);
    }

    private Optional<CryptoSuite> findSuite(SuiteId id) throws Exception {
        var refs = context.getServiceReferences(CryptoSuite.class, "(" + CryptoSuite.SUITE_CODE_PROPERTY + "=" + id.code() + ")");
        return refs.isEmpty() ? Optional.empty() : Optional.ofNullable(context.getService(refs.iterator().next()));
    }

    private CryptoSuite suite(SuiteId id) throws Exception {
        return findSuite(id).orElseThrow(() -> new AssertionError("suite " + id + " is not installed"));
    }

    private QdhtNode node(String name) throws Exception {
        return context.getService(context.getServiceReferences(QdhtNode.class, "(qdht.node.name=" + name + ")").iterator().next());
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst().orElseThrow();
    }
}
