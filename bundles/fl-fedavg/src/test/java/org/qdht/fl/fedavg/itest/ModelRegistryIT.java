package org.qdht.fl.fedavg.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.ModelId;
import org.qdht.api.learning.ModelManifest;
import org.qdht.api.learning.ModelRegistry;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.Record;
import org.qdht.api.wire.WireFormat;
import org.qdht.fl.core.TwoNN;
import org.qdht.testsupport.Testnet;

/**
 * Six nodes on loopback UDP with Kademlia and the model registry: a master publishes a 2NN as
 * chunks and a signed manifest, other nodes find and download it; stale, forged and tampered
 * manifests and chunks are refused. n05 plays the attacker: it can only store records it signs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelRegistryIT {
    private static final int NODES = 6;
    private static final int BASE_PORT = 4900;

    @InjectBundleContext
    static BundleContext context;
    @InjectService
    static ConfigurationAdmin cm;

    private static Testnet net;

    @BeforeAll
    static void startTestnet() throws Exception {
        net = new Testnet(context, cm, BASE_PORT);
        net.configure("org.qdht.transport.udp", "org.qdht.transport.udp.internal.UdpTransportComponent", Map.of("bindAddress", "127.0.0.1"));
        net.configure("org.qdht.channel", "org.qdht.channel.internal.ChannelComponent", Map.of("minPeerPuzzleDifficulty", 8));
        Map<String, Object> kademlia = new HashMap<>();
        kademlia.put("bootstrap", new String[] {net.bootstrapAddress()});
        kademlia.put("minPublisherPuzzleDifficulty", 8);
        net.configure("org.qdht.routing.kademlia", "org.qdht.routing.kademlia.internal.KademliaComponent", kademlia);
        for (int i = 0; i < NODES; i++) {
            net.addNode("n" + i, i, Map.of());
        }
        for (int i = 0; i < NODES; i++) {
            String n = "n" + i;
            Testnet.awaitTrue(() -> net.routing(n).size() >= 3 && net.service(ModelRegistry.class, n).isPresent(), n + " joined with a registry");
        }
    }

    @AfterAll
    static void stopTestnet() throws Exception {
        net.close();
    }

    @Test
    @Order(1)
    void aModelPublishedByTheMasterIsFoundAndDownloadedElsewhere() throws Exception {
        String out = command("init", "n0", "mnist-2nn", "2nn", "7");
        assertTrue(out.contains("version 0"), out);
        ModelManifest manifest = registry("n3").latest(ModelId.of("mnist-2nn")).toCompletableFuture().get(60, TimeUnit.SECONDS).orElseThrow();
        assertEquals(0, manifest.version());
        assertEquals(net.identity("n0").nodeId(), manifest.master());
        assertEquals("mnist-2nn", manifest.modelType().orElseThrow());
        List<byte[]> chunks = new ArrayList<>();
        for (byte[] hash : manifest.chunkHashes()) {
            byte[] chunk = registry("n4").fetchChunk(hash).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertArrayEquals(hash, sha256(chunk), "every chunk matches its name");
            chunks.add(chunk);
        }
        assertArrayEquals(TwoNN.MNIST.initialParameters(7), join(chunks), "the downloaded model is the master's, bit for bit");
        assertTrue(command("fetch", "n2", "mnist-2nn").contains("every chunk matched"));
    }

    @Test
    @Order(2)
    void aStaleVersionIsRefusedAndANewerOneReplacesIt() throws Exception {
        assertEquals(LearningException.Reason.STALE_VERSION, refusal(publish("n0", "mnist-2nn", 0, new float[] {1, 2, 3})));
        publish("n0", "mnist-2nn", 1, new float[] {1, 2, 3}).toCompletableFuture().get(60, TimeUnit.SECONDS);
        Testnet.awaitTrue(() -> registry("n5").latest(ModelId.of("mnist-2nn")).toCompletableFuture().get(60, TimeUnit.SECONDS)
                .orElseThrow().version() == 1, "version 1 is the latest");
    }

    @Test
    @Order(3)
    void forgedAndInconsistentManifestsAreRefused() throws Exception {
        NodeIdentity master = net.identity("n0");
        List<byte[]> chunks = List.of(new byte[] {1, 2, 3, 4});
        ModelManifest unsigned = ModelManifest.unsigned(ModelId.of("forged"), 0, List.of(sha256(chunks.get(0))), Map.of(), master.nodeId(),
                master.suite(), master.signingKey().keyId());
        byte[] badSignature = master.sign(unsigned.toBeSigned()).bytes();
        badSignature[5] ^= 1;
        assertEquals(LearningException.Reason.REJECTED, refusal(registry("n0").publish(unsigned.withSignature(badSignature), chunks)));
        ModelManifest signed = unsigned.withSignature(master.sign(unsigned.toBeSigned()).bytes());
        assertEquals(LearningException.Reason.INTEGRITY, refusal(registry("n0").publish(signed, List.of(new byte[] {9, 9, 9, 9}))),
                "chunks that are not the manifest's");

        // n5 stores, under its own record, a manifest that claims n0 as its master
        NodeIdentity mallory = net.identity("n5");
        ModelManifest claimed = ModelManifest.unsigned(ModelId.of("claimed"), 0, List.of(sha256(chunks.get(0))), Map.of(), master.nodeId(),
                master.suite(), master.signingKey().keyId());
        ModelManifest signedByMallory = claimed.withSignature(mallory.sign(claimed.toBeSigned()).bytes());
        putRecord("n5", DhtKey.ofName("qdht/model-manifest/v1/claimed"), WireFormat.encode(ModelManifest.CODEC, signedByMallory), 0);
        assertEquals(LearningException.Reason.REJECTED, refusal(registry("n2").latest(ModelId.of("claimed"))),
                "a manifest not signed by the node that published it");
    }

    @Test
    @Order(4)
    void aTamperedChunkIsRefused() throws Exception {
        byte[] genuine = "the bytes the hash names".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] hash = sha256(genuine);
        putRecord("n5", DhtKey.of(hash), "other bytes under that name".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1);
        assertEquals(LearningException.Reason.INTEGRITY, refusal(registry("n1").fetchChunk(hash)));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static java.util.concurrent.CompletionStage<Void> publish(String node, String model, long version, float[] parameters) throws Exception {
        NodeIdentity id = net.identity(node);
        ByteBuffer b = ByteBuffer.allocate(parameters.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(parameters);
        List<byte[]> chunks = List.of(b.array());
        ModelManifest unsigned = ModelManifest.unsigned(ModelId.of(model), version, List.of(sha256(chunks.get(0))),
                Map.of(ModelManifest.MODEL_TYPE_KEY, "mnist-2nn"), id.nodeId(), id.suite(), id.signingKey().keyId());
        return registry(node).publish(unsigned.withSignature(id.sign(unsigned.toBeSigned()).bytes()), chunks);
    }

    private static void putRecord(String node, DhtKey key, byte[] value, long version) throws Exception {
        NodeIdentity id = net.identity(node);
        Record unsigned = Record.unsigned(key, value, version, System.currentTimeMillis() + 3_600_000, id.nodeId(), id.suite(),
                id.signingKey().keyId(), false);
        net.dht(node).put(unsigned.withSignature(id.sign(unsigned.toBeSigned()).bytes())).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static LearningException.Reason refusal(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof LearningException l) {
                return l.reason();
            }
            throw new AssertionError("failed with " + c, c);
        }
        throw new AssertionError("expected a refusal");
    }

    private static ModelRegistry registry(String node) throws Exception {
        return net.service(ModelRegistry.class, node).orElseThrow();
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static float[] join(List<byte[]> chunks) {
        int total = 0;
        for (byte[] c : chunks) {
            total += c.length;
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        chunks.forEach(all::put);
        all.flip();
        float[] out = new float[total / 4];
        all.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static String command(String function, String... args) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(&(osgi.command.scope=fl)(osgi.command.function=" + function + "))");
        Object commands = context.getService(refs[0]);
        for (java.lang.reflect.Method m : commands.getClass().getMethods()) {
            if (m.getName().equals(function)) {
                int fixed = m.getParameterCount() - 1;
                Object[] call = new Object[m.getParameterCount()];
                System.arraycopy(args, 0, call, 0, fixed);
                call[fixed] = java.util.Arrays.copyOfRange(args, fixed, args.length);
                if (!m.getParameterTypes()[fixed].isArray()) {
                    call = args;
                }
                return String.valueOf(m.invoke(commands, call));
            }
        }
        throw new AssertionError("no command " + function);
    }
}
