package org.qdht.onion.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.anonymity.AnonymousDht;
import org.qdht.api.anonymity.Commitment;
import org.qdht.api.anonymity.CommitmentScheme;
import org.qdht.api.anonymity.Mailbox;
import org.qdht.api.anonymity.MailboxEntry;
import org.qdht.api.anonymity.Opening;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.channel.SessionMessageHandler;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.onion.core.Hop;
import org.qdht.onion.core.OnionKeyDescriptor;
import org.qdht.onion.core.OnionMessages;
import org.qdht.onion.core.Packet;
import org.qdht.onion.core.PacketFormat;
import org.qdht.onion.core.SurbPair;
import org.qdht.testsupport.Testnet;

/**
 * Twelve relays (server nodes), a phone in client mode and a "tester" node with a secure channel
 * but neither routing nor onion routing, in one framework, each on its own UDP socket on
 * 127.0.0.1. The tester crafts packets of 1, 2 and 3 hops with its own copy of the packet format,
 * replays and tampers with them. Onion keys rotate every {@value #EPOCH_SECONDS} s, so that an
 * expired key can be shown. The tests run in order on one network.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnionNetworkIT {
    private static final int SERVERS = 12;
    private static final int BASE_PORT = 4800;
    private static final long EPOCH_SECONDS = 10;

    @InjectBundleContext
    static BundleContext context;
    @InjectService
    static ConfigurationAdmin cm;

    private static Testnet net;
    private static final BlockingQueue<byte[]> testerInbox = new LinkedBlockingQueue<>();
    private static PacketFormat format;

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
        kademlia.put("minPublisherPuzzleDifficulty", 8);
        kademlia.put("refreshSeconds", 10L);
        net.configure("org.qdht.routing.kademlia", "org.qdht.routing.kademlia.internal.KademliaComponent", kademlia);
        Map<String, Object> onion = new HashMap<>();
        onion.put("nodes", routed.toArray(String[]::new));
        onion.put("epochSeconds", EPOCH_SECONDS);
        onion.put("directoryRefreshSeconds", 3L);
        onion.put("minPublisherPuzzleDifficulty", 8);
        onion.put("operationTimeoutSeconds", 20L);
        net.configure("org.qdht.onion", "org.qdht.onion.internal.OnionComponent", onion);
        for (int i = 0; i < SERVERS; i++) {
            net.addNode(server(i), i, Map.of());
        }
        net.addNode("phone", SERVERS, Map.of("mode", "CLIENT"));
        net.addNode("tester", SERVERS + 1, Map.of());
        Map<String, Object> capture = new HashMap<>();
        capture.put(SessionMessageHandler.PROTOCOL_PROPERTY, Protocols.ONION_RELAY);
        capture.put(SessionMessageHandler.NODE_PROPERTY, "tester");
        context.registerService(SessionMessageHandler.class, (session, protocol, message) -> testerInbox.add(message),
                new java.util.Hashtable<>(capture));
        for (String node : routed) {
            Testnet.awaitTrue(() -> net.routing(node).size() >= 6, node + " with peers in its table");
        }
        format = PacketFormat.defaults(suiteOf("tester"));
        // a first anonymous get succeeds once the phone knows enough relays and their keys
        Testnet.awaitTrue(() -> anonymous("phone").get(DhtKey.ofName("nothing-here")).toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty(),
                "the phone builds a circuit and gets an answer");
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
    void anonymousGetPutAndLookupGiveTheRightAnswers() throws Exception {
        byte[] hello = "hello from n03".getBytes(StandardCharsets.UTF_8);
        net.dht("n03").put(sign(net.identity("n03"), "greeting", hello)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (String asker : List.of("phone", "n08")) {
            Optional<Record> found = anonymous(asker).get(DhtKey.ofName("greeting")).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertTrue(found.isPresent(), asker + " finds the value anonymously");
            assertArrayEquals(hello, found.get().value());
        }

        byte[] fromPhone = "put anonymously by the phone".getBytes(StandardCharsets.UTF_8);
        int copies = anonymous("phone").put(sign(net.identity("phone"), "phone-says", fromPhone)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue(copies >= 1, "stored on " + copies + " nodes");
        Optional<Record> direct = net.dht("n07").get(DhtKey.ofName("phone-says")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertArrayEquals(fromPhone, direct.orElseThrow().value(), "the anonymous put is found by a direct get");

        // the exit looks up for us and leaves itself out: the answer is 4 of the 5 servers closest to the target
        NodeId target = DhtKey.ofName("somewhere").asNodeId();
        List<PeerInfo> peers = anonymous("n05").lookup(target, 4).toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<NodeId> servers = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            servers.add(net.identity(server(i)).nodeId());
        }
        servers.sort(target::compareDistance);
        assertEquals(4, peers.size());
        for (int i = 0; i < peers.size(); i++) {
            assertTrue(servers.subList(0, 5).contains(peers.get(i).nodeId()), "peer " + i + " is one of the 5 closest servers");
            assertTrue(i == 0 || target.compareDistance(peers.get(i - 1).nodeId(), peers.get(i).nodeId()) < 0, "closest first");
        }
        assertTrue(anonymous("phone").circuits().get(0).hops() >= 3);
    }

    @Test
    @Order(2)
    void eachRelaySeesOnlyItsPredecessorAndSuccessor() throws Exception {
        Instant since = Instant.now();
        Thread.sleep(5);
        assertTrue(anonymous("phone").get(DhtKey.ofName("greeting")).toCompletableFuture().get(30, TimeUnit.SECONDS).isPresent());
        String phone = net.identity("phone").nodeId().toShortString();
        Map<String, List<String[]>> seen = new HashMap<>(); // relay -> (from, to, action) since the get
        for (int i = 0; i < SERVERS; i++) {
            List<String[]> entries = relayLog(server(i), since);
            if (!entries.isEmpty()) {
                seen.put(server(i), entries);
            }
        }
        assertEquals(3, seen.size(), "three relays handled the get and its answer: " + describe(seen));
        List<String> sawPhone = seen.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(x -> x[0].equals(phone) || x[1].equals(phone)))
                .map(Map.Entry::getKey).toList();
        assertEquals(1, sawPhone.size(), "only the entry relay ever sees the phone: " + describe(seen));
        String entry = sawPhone.get(0);
        String exit = seen.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(x -> x[2].equals("exit"))).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        String middle = seen.keySet().stream().filter(n -> !n.equals(entry) && !n.equals(exit)).findFirst().orElseThrow();
        String entryId = shortId(entry);
        String middleId = shortId(middle);
        String exitId = shortId(exit);
        for (String[] x : seen.get(entry)) {
            assertEquals(Set.of(phone, middleId), Set.of(x[0], x[1]), "the entry relays between the phone and the middle only");
        }
        for (String[] x : seen.get(middle)) {
            assertEquals(Set.of(entryId, exitId), Set.of(x[0], x[1]), "the middle relays between entry and exit only");
        }
        for (String[] x : seen.get(exit)) {
            assertEquals(middleId, x[0], "the exit hears from the middle only");
            assertTrue(x[1].equals("-") || x[1].equals(middleId), "the exit answers to the middle only");
        }
    }

    @Test
    @Order(3)
    void everyPacketHasTheSameSizeForOneTwoAndThreeHopsRequestsAndReplies() throws Exception {
        Map<String, Long> receivedBefore = sum("packets-received");
        for (int hops = 1; hops <= 3; hops++) {
            List<Hop> route = route(hops, 0);
            Packet request = getRequest(route, "greeting");
            assertEquals(format.packetSize(), request.bytes().length, hops + "-hop request");
            testerInbox.clear();
            send(request);
            byte[] reply = testerInbox.poll(30, TimeUnit.SECONDS);
            assertTrue(reply != null, "a reply to the " + hops + "-hop request");
            assertEquals(format.packetSize(), reply.length, hops + "-hop reply");
            OnionMessages.Reply answer = OnionMessages.decodeReply(lastSurb.secrets().open(reply), OnionMessages.Kind.GET);
            PublishedRecord record = ((OnionMessages.Found) answer).record().orElseThrow();
            assertArrayEquals("hello from n03".getBytes(StandardCharsets.UTF_8), record.record().value(), hops + " hops");
        }
        Map<String, Long> receivedAfter = sum("packets-received");
        assertTrue(receivedAfter.get("total") - receivedBefore.get("total") >= 6, "the relays received the test's packets");
        assertEquals(0L, sum("packet-wrong-size").get("total"), "no relay ever received a packet of another size");
    }

    @Test
    @Order(4)
    void aReplayedPacketIsDroppedAndCounted() throws Exception {
        List<Hop> route = route(1, 1);
        String relay = nameOf(route.get(0).nodeId());
        long before = counter(relay, "packet-replayed");
        Packet request = getRequest(route, "greeting");
        testerInbox.clear();
        send(request);
        assertTrue(testerInbox.poll(30, TimeUnit.SECONDS) != null, "the first copy is answered");
        send(request);
        Testnet.awaitTrue(() -> counter(relay, "packet-replayed") == before + 1, "the replay counted at " + relay);
        assertEquals(null, testerInbox.poll(2, TimeUnit.SECONDS), "the replay is not answered");
    }

    @Test
    @Order(5)
    void taggedPacketsAreDropped() throws Exception {
        List<Hop> route = route(2, 2);
        String first = nameOf(route.get(0).nodeId());
        String exit = nameOf(route.get(1).nodeId());
        long badMac = counter(first, "packet-bad-mac");
        long tagged = counter(exit, "payload-tagged");
        testerInbox.clear();

        Packet headerTagged = getRequest(route, "greeting");
        headerTagged.bytes()[format.headerSize() - 100] ^= 1; // inside the routing information
        send(headerTagged);
        Testnet.awaitTrue(() -> counter(first, "packet-bad-mac") == badMac + 1, "the tagged header is caught by the first relay's MAC");

        Packet payloadTagged = getRequest(route, "greeting");
        payloadTagged.bytes()[format.headerSize() + 500] ^= 1;
        send(payloadTagged);
        Testnet.awaitTrue(() -> counter(exit, "payload-tagged") == tagged + 1, "the tagged payload is caught at the exit");
        assertEquals(null, testerInbox.poll(2, TimeUnit.SECONDS), "no tagged request is answered");
    }

    @Test
    @Order(6)
    void packetsForAnExpiredEpochKeyAreDropped() throws Exception {
        List<Hop> route = route(1, 3);
        String relay = nameOf(route.get(0).nodeId());
        long before = counter(relay, "packet-expired-key");
        Packet old = getRequest(route, "greeting");
        long epoch = System.currentTimeMillis() / (EPOCH_SECONDS * 1000);
        // a key is destroyed one epoch after its own ends
        Testnet.awaitTrue(() -> System.currentTimeMillis() / (EPOCH_SECONDS * 1000) >= epoch + 2
                && !command("keys", relay).contains("epoch " + epoch + " "), "the key of epoch " + epoch + " destroyed at " + relay);
        testerInbox.clear();
        send(old);
        Testnet.awaitTrue(() -> counter(relay, "packet-expired-key") == before + 1, "the late packet counted at " + relay);
        assertEquals(null, testerInbox.poll(2, TimeUnit.SECONDS), "the late packet is not answered");
        // while anonymous operations keep working with the new keys
        assertTrue(anonymous("phone").get(DhtKey.ofName("greeting")).toCompletableFuture().get(30, TimeUnit.SECONDS).isPresent());
    }

    @Test
    @Order(7)
    void phonesAreClientsOnlyAndPublishNoOnionKey() throws Exception {
        assertTrue(command("relay", "phone").contains("(client only)"));
        long epoch = System.currentTimeMillis() / (EPOCH_SECONDS * 1000);
        NodeId phone = net.identity("phone").nodeId();
        assertTrue(net.dht("n00").getPublished(OnionKeyDescriptor.keyFor(phone, epoch)).toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty());
    }

    @Test
    @Order(8)
    void commitmentsOpenOnlyToTheCommittedValue() throws Exception {
        CommitmentScheme scheme = context.getService(context.getServiceReference(CommitmentScheme.class));
        Opening opening = scheme.commit("my bid: 42".getBytes(StandardCharsets.UTF_8));
        Commitment commitment = scheme.commitmentOf(opening);
        assertTrue(scheme.verify(commitment, opening));
        assertFalse(scheme.verify(commitment, Opening.of("my bid: 43".getBytes(StandardCharsets.UTF_8), opening.nonce())));
    }

    @Test
    @Order(9)
    void aMailboxMessageSentWhileTheRecipientIsStoppedIsDeliveredWhenItRestarts() throws Exception {
        Testnet.awaitTrue(() -> counter("phone", "mailbox-key-published") >= 1, "the phone published its mailbox key");
        NodeId phone = net.identity("phone").nodeId();
        net.removeNode("phone");

        byte[] message = "while you were away".getBytes(StandardCharsets.UTF_8);
        Mailbox fromN04 = net.service(Mailbox.class, "n04").orElseThrow();
        fromN04.deposit(phone, message).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertTrue(counter("n04", "mailbox-deposited") >= 1);

        net.addNode("phone", SERVERS, Map.of("mode", "CLIENT"));
        assertEquals(phone, net.identity("phone").nodeId(), "the phone comes back with its identity");
        Testnet.awaitTrue(() -> net.service(Mailbox.class, "phone").isPresent() && net.routing("phone").size() >= 6, "the phone rejoined");
        List<MailboxEntry> collected = new ArrayList<>();
        Testnet.awaitTrue(() -> {
            collected.addAll(net.service(Mailbox.class, "phone").orElseThrow().collect().toCompletableFuture().get(60, TimeUnit.SECONDS));
            return !collected.isEmpty();
        }, "the phone collects its mailbox");
        assertEquals(1, collected.size());
        assertArrayEquals(message, collected.get(0).sealed());
        assertTrue(net.service(Mailbox.class, "phone").orElseThrow().collect().toCompletableFuture().get(60, TimeUnit.SECONDS).isEmpty(),
                "a collected entry is not returned again");
        // the entry in the DHT is ciphertext under an address that names no node
        assertFalse(command("relay", "n04").contains(phone.toShortString()), "the depositor's relay log never names the recipient");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static SurbPair lastSurb;

    /** A get request over {@code route} whose reply returns to the tester over the route's relays in reverse. */
    private static Packet getRequest(List<Hop> route, String name) throws Exception {
        List<Hop> back = new ArrayList<>();
        for (int i = route.size() - 2; i >= 0; i--) {
            back.add(route.get(i));
        }
        lastSurb = format.newSurb(back, net.identity("tester").nodeId(), PeerAddress.parse("udp://127.0.0.1:" + (BASE_PORT + 2 * (SERVERS + 1))));
        byte[] id = new byte[OnionMessages.REQUEST_ID_LENGTH];
        byte[] message = OnionMessages.encode(new OnionMessages.Get(id, lastSurb.surb(), DhtKey.ofName(name)));
        return format.forward(route, message);
    }

    /** {@code hops} relays of this epoch, starting at server {@code offset}, with their published keys. */
    private static List<Hop> route(int hops, int offset) throws Exception {
        long epoch = System.currentTimeMillis() / (EPOCH_SECONDS * 1000);
        List<Hop> route = new ArrayList<>();
        for (int i = 0; i < hops; i++) {
            NodeId relay = net.identity(server((offset + 4 * i) % SERVERS)).nodeId();
            PublishedRecord r = net.dht("n00").getPublished(OnionKeyDescriptor.keyFor(relay, epoch)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no onion key of " + relay + " for epoch " + epoch));
            OnionKeyDescriptor d = OnionKeyDescriptor.decode(r.record().value());
            route.add(new Hop(relay, d.addresses().get(0), d.onionKey()));
        }
        return route;
    }

    private static void send(Packet packet) throws Exception {
        SecureChannels channel = net.service(SecureChannels.class, "tester").orElseThrow();
        SecureSession session = channel.connect(packet.firstAddress(), Optional.of(packet.firstNode())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        session.send(Protocols.ONION_RELAY, packet.bytes());
    }

    private static AnonymousDht anonymous(String node) throws Exception {
        return net.service(AnonymousDht.class, node).orElseThrow(() -> new AssertionError(node + " has no AnonymousDht"));
    }

    private static CryptoSuite suiteOf(String node) throws Exception {
        NodeIdentity identity = net.identity(node);
        for (ServiceReference<CryptoSuite> ref : context.getServiceReferences(CryptoSuite.class, null)) {
            CryptoSuite s = context.getService(ref);
            if (s.id().equals(identity.suite())) {
                return s;
            }
        }
        throw new AssertionError("no suite " + identity.suite());
    }

    private static Record sign(NodeIdentity identity, String name, byte[] value) throws Exception {
        Record unsigned = Record.unsigned(DhtKey.ofName(name), value, System.currentTimeMillis(), System.currentTimeMillis() + 3_600_000,
                identity.nodeId(), identity.suite(), identity.signingKey().keyId(), false);
        return unsigned.withSignature(identity.sign(unsigned.toBeSigned()).bytes());
    }

    private static String shortId(String node) throws Exception {
        return net.identity(node).nodeId().toShortString();
    }

    private static String nameOf(NodeId id) throws Exception {
        for (String n : net.names()) {
            if (net.identity(n).nodeId().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no node " + id);
    }

    /** Entries (from, to, action) of a relay's log at or after {@code since}, from {@code onion:relay}. */
    private static List<String[]> relayLog(String node, Instant since) throws Exception {
        List<String[]> out = new ArrayList<>();
        for (String line : command("relay", node).split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 6 && p[1].equals("from") && p[3].equals("to") && !Instant.parse(p[0]).isBefore(since)) {
                out.add(new String[] {p[2], p[4], p[5].replace("(", "").replace(")", "")});
            }
        }
        return out;
    }

    private static String describe(Map<String, List<String[]>> seen) {
        StringBuilder out = new StringBuilder();
        seen.forEach((n, l) -> {
            out.append(n).append(':');
            l.forEach(x -> out.append(" [").append(String.join(" ", x)).append(']'));
            out.append("; ");
        });
        return out.toString();
    }

    private static long counter(String node, String name) throws Exception {
        for (String line : command("relay", node).split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 2 && p[0].equals(name)) {
                return Long.parseLong(p[1]);
            }
        }
        return 0;
    }

    private static Map<String, Long> sum(String name) throws Exception {
        long total = 0;
        for (int i = 0; i < SERVERS; i++) {
            total += counter(server(i), name);
        }
        return Map.of("total", total);
    }

    private static String command(String function, String node) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=onion)(osgi.command.function=" + function + "))");
        Object commands = context.getService(refs[0]);
        for (java.lang.reflect.Method m : commands.getClass().getMethods()) {
            if (m.getName().equals(function) && m.getParameterCount() == 1 && m.getParameterTypes()[0].isArray()) {
                return String.valueOf(m.invoke(commands, (Object) new String[] {node}));
            }
        }
        throw new AssertionError("no command " + function);
    }
}
