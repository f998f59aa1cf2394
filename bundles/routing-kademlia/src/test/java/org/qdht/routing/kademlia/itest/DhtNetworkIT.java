package org.qdht.routing.kademlia.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.channel.SessionMessageHandler;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.RecordStore;
import org.qdht.kademlia.core.DhtMessage;
import org.qdht.kademlia.core.DhtMessage.Outcome;
import org.qdht.kademlia.core.DhtMessage.Sender;
import org.qdht.kademlia.core.DhtMessage.Store;
import org.qdht.kademlia.core.DhtMessages;
import org.qdht.testsupport.Testnet;

/**
 * Twenty server nodes, a client-mode node and an attacker ("mallory", which has a secure channel
 * but no routing) in one framework, each on its own UDP socket on 127.0.0.1, with k = 5 so that
 * replication is not trivially "every node holds everything". The tests run in order and each
 * takes the network as the previous one left it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DhtNetworkIT {
    private static final int SERVERS = 20;
    private static final int K = 5;
    private static final int BASE_PORT = 4700;
    private static final int VALUES = 10;

    @InjectBundleContext
    static BundleContext context;
    @InjectService
    static ConfigurationAdmin cm;

    private static Testnet net;
    private static final Map<String, byte[]> values = new HashMap<>();
    private static final BlockingQueue<DhtMessage> malloryAnswers = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startTestnet() throws Exception {
        net = new Testnet(context, cm, BASE_PORT);
        net.configure("org.qdht.transport.udp", "org.qdht.transport.udp.internal.UdpTransportComponent", Map.of("bindAddress", "127.0.0.1"));
        net.configure("org.qdht.channel", "org.qdht.channel.internal.ChannelComponent", Map.of("minPeerPuzzleDifficulty", 8));
        List<String> routed = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            routed.add(server(i));
        }
        routed.add("phone");
        Map<String, Object> kademlia = new HashMap<>();
        kademlia.put("nodes", routed.toArray(String[]::new));
        kademlia.put("bootstrap", new String[] {net.bootstrapAddress()});
        kademlia.put("k", K);
        kademlia.put("republishSeconds", 3L);
        kademlia.put("refreshSeconds", 5L);
        kademlia.put("minPublisherPuzzleDifficulty", 8);
        net.configure("org.qdht.routing.kademlia", "org.qdht.routing.kademlia.internal.KademliaComponent", kademlia);
        for (int i = 0; i < SERVERS; i++) {
            net.addNode(server(i), i, Map.of("maxRecordBytes", 4096));
        }
        net.addNode("phone", SERVERS, Map.of("mode", "CLIENT"));
        net.addNode("mallory", SERVERS + 1, Map.of());
        Map<String, Object> capture = new HashMap<>();
        capture.put(SessionMessageHandler.PROTOCOL_PROPERTY, Protocols.DHT_RPC);
        capture.put(SessionMessageHandler.NODE_PROPERTY, "mallory");
        context.registerService(SessionMessageHandler.class, (session, protocol, message) -> {
            try {
                malloryAnswers.add(DhtMessages.decode(message));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, new java.util.Hashtable<>(capture));
        for (String node : routed) {
            Testnet.awaitTrue(() -> net.routing(node).size() >= K, node + " with at least k peers in its table");
        }
    }

    @AfterAll
    static void stopTestnet() throws Exception {
        net.close();
    }

    private static String server(int i) {
        return String.format("n%02d", i);
    }

    @Test
    @Order(1)
    void everyValuePutIsFoundFromEveryNode() throws Exception {
        for (int i = 0; i < VALUES; i++) {
            String name = "value-" + i;
            byte[] value = ("the value of " + name + " from " + server(i)).getBytes(StandardCharsets.UTF_8);
            int copies = net.dht(server(i)).put(sign(net.identity(server(i)), name, value, 1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertTrue(copies >= K, name + " stored on " + copies + " nodes, expected at least k");
            values.put(name, value);
        }
        byte[] fromPhone = "put by a phone in client mode".getBytes(StandardCharsets.UTF_8);
        net.dht("phone").put(sign(net.identity("phone"), "from-phone", fromPhone, 1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        values.put("from-phone", fromPhone);
        for (String node : net.names()) {
            if (!node.equals("mallory")) {
                assertAllValuesFound(node);
            }
        }
        NodeId phone = net.identity("phone").nodeId();
        for (int i = 0; i < SERVERS; i++) {
            assertFalse(net.routing(server(i)).knownPeers().stream().anyMatch(p -> p.nodeId().equals(phone)),
                    "a client-mode node never enters a server's routing table");
        }
        assertEquals(0, net.store("phone").size(), "a client-mode node stores nothing for others");
    }

    @Test
    @Order(2)
    void forgedReplayedExpiredAndOversizedRecordsAreRejectedAndCounted() throws Exception {
        String victim = server(3);
        NodeIdentity mallory = net.identity("mallory");
        SecureChannels channel = net.service(SecureChannels.class, "mallory").orElseThrow();
        SecureSession session = channel.connect(PeerAddress.parse("udp://127.0.0.1:" + (BASE_PORT + 6)), Optional.empty())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        Map<String, Long> before = counters(victim);

        Record genuine = sign(mallory, "mallory-value", "version two".getBytes(StandardCharsets.UTF_8), 2);
        assertEquals(Optional.empty(), store(session, published(mallory, genuine)).refusal(), "a valid record is stored");

        byte[] signature = genuine.signature();
        signature[10] ^= 1;
        Record forged = Record.unsigned(genuine.key(), "forged value".getBytes(StandardCharsets.UTF_8), 3, genuine.expiresAtMillis(),
                genuine.publisher(), genuine.suite(), genuine.keyId(), false).withSignature(signature);
        assertEquals(Optional.of("REJECTED"), store(session, published(mallory, forged)).refusal());

        Record replayed = sign(mallory, "mallory-value", "version one".getBytes(StandardCharsets.UTF_8), 1);
        assertEquals(Optional.of("STALE_VERSION"), store(session, published(mallory, replayed)).refusal());

        long now = System.currentTimeMillis();
        Record expired = signAt(mallory, DhtKey.ofName("expired"), "old".getBytes(StandardCharsets.UTF_8), 1, now - 1000);
        assertEquals(Optional.of("EXPIRED"), store(session, published(mallory, expired)).refusal());

        Record oversized = sign(mallory, "big", new byte[4097], 1);
        assertEquals(Optional.of("REJECTED"), store(session, published(mallory, oversized)).refusal());

        session.send(Protocols.DHT_RPC, new byte[] {1, 7, 0, 0, 0, 1}); // a store cut short
        Testnet.awaitTrue(() -> counters(victim).getOrDefault("malformed-truncated", 0L) > before.getOrDefault("malformed-truncated", 0L),
                "the truncated message counted");

        Map<String, Long> after = counters(victim);
        assertEquals(1, delta(before, after, "record-forged"));
        assertEquals(1, delta(before, after, "store-stale-version"));
        assertEquals(1, delta(before, after, "record-expired"));
        assertEquals(1, delta(before, after, "record-oversized"));
        PublishedRecord held = net.store(victim).findPublished(genuine.key()).orElseThrow();
        assertArrayEquals("version two".getBytes(StandardCharsets.UTF_8), held.record().value(), "the stored record is still the genuine one");
        for (int i = 0; i < 3; i++) {
            assertAllValuesFound(server(i));
        }
    }

    @Test
    @Order(3)
    void anotherRoutingProviderFindsTheRecordsAndIdentitiesItLeft() throws Exception {
        Bundle routing = bundle("org.qdht.routing.kademlia");
        Map<String, NodeId> ids = new HashMap<>();
        Map<String, Integer> held = new HashMap<>();
        for (int i = 0; i < SERVERS; i++) {
            ids.put(server(i), net.identity(server(i)).nodeId());
            held.put(server(i), net.store(server(i)).size());
        }
        routing.stop();
        for (int i = 0; i < SERVERS; i++) {
            String node = server(i);
            assertTrue(net.service(org.qdht.api.routing.Routing.class, node).isEmpty(), "routing gone from " + node);
            RecordStore store = net.store(node);
            assertTrue(store.size() >= held.get(node), node + " keeps its records without routing");
        }
        routing.start();
        for (int i = 0; i < SERVERS; i++) {
            String node = server(i);
            Testnet.awaitTrue(() -> net.routing(node).size() >= K, node + " rejoined");
            assertEquals(ids.get(node), net.routing(node).self(), node + " keeps its identity");
        }
        assertAllValuesFound(server(7));
        assertAllValuesFound("phone");
    }

    @Test
    @Order(4)
    void recordsSurviveTheAbruptLossOfThirtyPercentOfNodes() throws Exception {
        DhtKey key = DhtKey.ofName("value-0");
        List<String> closest = closestServers(key, net.names());
        List<String> victims = new ArrayList<>(closest.subList(0, 3)); // the best-placed holders go first
        for (String node : net.names()) {
            if (victims.size() == 6) {
                break;
            }
            if (node.startsWith("n") && !victims.contains(node)) {
                victims.add(node);
            }
        }
        for (String victim : victims) {
            net.removeNode(victim);
        }
        for (String node : net.names()) {
            if (!node.equals("mallory")) {
                assertAllValuesFound(node);
            }
        }
        List<String> survivors = net.names().stream().filter(n -> n.startsWith("n")).toList();
        try {
            Testnet.awaitTrue(() -> survivors.stream().filter(n -> holds(n, key)).count() >= K,
                    "republishing restores k copies of value-0 among the survivors");
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder state = new StringBuilder();
            for (String n : survivors) {
                state.append(n).append(holds(n, key) ? " holds " : " lacks ").append(command("dht", n)).append('\n');
            }
            throw new AssertionError("fewer than k copies: " + state, e);
        }
    }

    @Test
    @Order(5)
    void recordsSurviveTheGracefulLeaveOfThirtyPercentOfNodes() throws Exception {
        String name = "handed-over";
        byte[] value = "kept by the leavers' neighbours".getBytes(StandardCharsets.UTF_8);
        List<String> servers = net.names().stream().filter(n -> n.startsWith("n")).toList();
        DhtKey key = DhtKey.ofName(name);
        List<String> holders = closestServers(key, servers).subList(0, K);
        net.dht(holders.get(0)).put(sign(net.identity(holders.get(0)), name, value, 1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        values.put(name, value);
        List<String> leaving = new ArrayList<>(holders);
        for (String s : servers) {
            if (leaving.size() == 6) {
                break;
            }
            if (!leaving.contains(s)) {
                leaving.add(s);
            }
        }
        for (String node : leaving) {
            command("leave", node);
            net.removeNode(node);
        }
        for (String node : net.names()) {
            if (!node.equals("mallory")) {
                assertAllValuesFound(node);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static void assertAllValuesFound(String node) throws Exception {
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            Optional<Record> found;
            try {
                found = net.dht(node).get(DhtKey.ofName(e.getKey())).toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException ex) {
                throw new AssertionError(node + " could not get " + e.getKey() + ": " + ex.getCause(), ex);
            }
            assertTrue(found.isPresent(), node + " finds " + e.getKey());
            assertArrayEquals(e.getValue(), found.get().value(), node + " gets the value put under " + e.getKey());
        }
    }

    private static boolean holds(String node, DhtKey key) {
        try {
            return net.store(node).findPublished(key).isPresent();
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> closestServers(DhtKey key, List<String> names) throws Exception {
        Map<String, NodeId> ids = new HashMap<>();
        for (String n : names) {
            if (n.startsWith("n")) {
                ids.put(n, net.identity(n).nodeId());
            }
        }
        List<String> sorted = new ArrayList<>(ids.keySet());
        sorted.sort((a, b) -> key.asNodeId().compareDistance(ids.get(a), ids.get(b)));
        return sorted;
    }

    private static Outcome store(SecureSession session, PublishedRecord record) throws Exception {
        malloryAnswers.clear();
        int id = (int) (Math.random() * Integer.MAX_VALUE);
        session.send(Protocols.DHT_RPC, DhtMessages.encode(new Store(id, new Sender(false, List.of()), record)));
        DhtMessage answer = malloryAnswers.poll(30, TimeUnit.SECONDS);
        assertTrue(answer instanceof Outcome o && o.requestId() == id, "an outcome for the store, got " + answer);
        return (Outcome) answer;
    }

    private static PublishedRecord published(NodeIdentity identity, Record record) {
        return new PublishedRecord(record, identity.signingKey(), identity.puzzleNonce());
    }

    static Record sign(NodeIdentity identity, String name, byte[] value, long version) throws Exception {
        return signAt(identity, DhtKey.ofName(name), value, version, System.currentTimeMillis() + 3_600_000);
    }

    static Record signAt(NodeIdentity identity, DhtKey key, byte[] value, long version, long expiresAt) throws Exception {
        Record unsigned = Record.unsigned(key, value, version, expiresAt, identity.nodeId(), identity.suite(),
                identity.signingKey().keyId(), false);
        return unsigned.withSignature(identity.sign(unsigned.toBeSigned()).bytes());
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String counter) {
        return after.getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
    }

    /** The node's Kademlia counters, read from the {@code qdht:dht} command. */
    private static Map<String, Long> counters(String node) throws Exception {
        Map<String, Long> out = new HashMap<>();
        for (String line : command("dht", node).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (line.startsWith("  ") && parts.length == 2) {
                out.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return out;
    }

    private static String command(String function, String node) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=qdht)(osgi.command.function=" + function + "))");
        Object commands = context.getService(refs[0]);
        for (java.lang.reflect.Method m : commands.getClass().getMethods()) {
            if (m.getName().equals(function)) {
                Object result = m.getParameterTypes()[0].isArray() ? m.invoke(commands, (Object) new String[] {node}) : m.invoke(commands, node);
                return String.valueOf(result);
            }
        }
        throw new AssertionError("no command " + function);
    }

    private static Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " not installed");
    }
}
