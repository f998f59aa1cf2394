package org.qdht.channel.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.channel.itest.TwoNodes.awaitTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.transport.DatagramHandler;

/**
 * Two nodes in one framework, each with its own UDP socket on loopback, talking through the real
 * channel, node, suite and transport bundles: handshake, messages both ways, a fragmented 64 KiB
 * message, re-keying, a live suite switch under a stream of messages, and the attacks the channel
 * must refuse and count.
 */
class SecureChannelIT {
    static final int APP = 0xF001;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    TwoNodes nodes;
    Configuration alpha;
    Configuration beta;
    final Map<String, List<byte[]>> received = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        nodes = new TwoNodes(context, cm);
        nodes.configureChannel(Map.of("rekeyAfterMessages", 300L, "minPeerPuzzleDifficulty", 16));
        alpha = nodes.node("alpha", 0, "xwing-mldsa65");
        beta = nodes.node("beta", 0, "xwing-mldsa65");
        for (String n : List.of("alpha", "beta")) {
            received.put(n, Collections.synchronizedList(new ArrayList<>()));
            nodes.handle(n, APP, (session, protocol, message) -> received.get(n).add(message));
        }
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
    }

    private SecureSession connect(String from, String to) throws Exception {
        return nodes.channels(from).connect(nodes.loopbackAddress(to), Optional.of(nodes.identity(to).nodeId()))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void handshakeAndMessagesBothWaysIncludingA64KiBMessage() throws Exception {
        SecureSession ab = connect("alpha", "beta");
        assertEquals(nodes.identity("beta").nodeId(), ab.peer());
        assertEquals(SuiteId.XWING_MLDSA65, ab.suite());
        ab.send(APP, "hello beta".getBytes());
        awaitTrue(() -> received.get("beta").size() == 1, "beta receives");
        assertArrayEquals("hello beta".getBytes(), received.get("beta").get(0));
        SecureSession ba = nodes.channels("beta").connect(nodes.loopbackAddress("alpha"), Optional.empty()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        ba.send(APP, "hello alpha".getBytes());
        awaitTrue(() -> received.get("alpha").size() == 1, "alpha receives");

        byte[] big = new byte[64 * 1024];
        new Random(7).nextBytes(big);
        ab.send(APP, big);
        awaitTrue(() -> received.get("beta").size() == 2, "the 64 KiB message, fragmented by UDP");
        assertArrayEquals(big, received.get("beta").get(1));
        NodeId alphaId = nodes.identity("alpha").nodeId();
        assertTrue(nodes.channels("beta").sessions().stream().anyMatch(s -> s.peer().equals(alphaId) && s.bytesIn() >= big.length),
                "beta lists alpha's session with the bytes it received");
        assertTrue(nodes.channels("alpha").sessions().stream().anyMatch(s -> s.bytesOut() >= big.length));
    }

    @Test
    void aOneMebibyteMessageGoesOnAStreamWhereTheTransportHasStreams() throws Exception {
        // the in-memory transport (a test transport) carries 64 KiB datagrams and streams
        var memory = org.qdht.api.PeerAddress.of("mem", "beta");
        SecureSession ab = nodes.channels("alpha").connect(memory, Optional.of(nodes.identity("beta").nodeId()))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        byte[] big = new byte[SecureSession.MAX_MESSAGE_SIZE];
        new Random(11).nextBytes(big);
        ab.send(APP, big);
        ab.send(APP, "small".getBytes());
        awaitTrue(() -> received.get("beta").size() == 2, "both messages");
        assertTrue(received.get("beta").stream().anyMatch(m -> java.util.Arrays.equals(m, big)), "the 1 MiB message intact");
        ExecutionException tooBig = assertThrows(ExecutionException.class, () -> java.util.concurrent.CompletableFuture
                .runAsync(() -> {
                    try {
                        ab.send(APP, new byte[SecureSession.MAX_MESSAGE_SIZE + 1]);
                    } catch (ChannelException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }).get());
        assertEquals(ChannelException.Reason.TOO_LARGE, ((ChannelException) tooBig.getCause()).reason());
    }

    @Test
    void sessionsReKeyWithoutLosingMessages() throws Exception {
        SecureSession ab = connect("alpha", "beta");
        for (int i = 0; i < 1_000; i++) {
            ab.send(APP, ByteBuffer.allocate(4).putInt(i).array());
            if (i % 100 == 99) {
                Thread.sleep(20); // let the loopback socket drain; UDP may drop a burst, the channel must not
            }
        }
        awaitTrue(() -> received.get("beta").size() == 1_000, "all 1,000 messages across re-keys");
        assertTrue(ab.info().rekeys() >= 2, "re-keyed every 300 messages: " + ab.info());
        assertTrue(nodes.channels("alpha").counters().getOrDefault("handshakes-ik", 0L) >= 1,
                "re-keys use IK with the static key beta handed out: " + nodes.channels("alpha").counters());
        assertEquals(Set.copyOf(range(1_000)), Set.copyOf(received.get("beta").stream().map(b -> ByteBuffer.wrap(b).getInt()).toList()));
    }

    @Test
    void aSuiteSwitchMidStreamReKeysLiveSessionsAndLosesNothing() throws Exception {
        SecureSession ab = connect("alpha", "beta");
        NodeId alphaBefore = nodes.identity("alpha").nodeId();
        int total = 600;
        for (int i = 0; i < total; i++) {
            ab.send(APP, ByteBuffer.allocate(4).putInt(i).array());
            if (i == 200) {
                nodes.switchSuite(alpha, "mlkem1024-slhdsa-sha2-128f");
            }
            Thread.sleep(5);
        }
        awaitTrue(() -> received.get("beta").size() == total, "every message across the switch");
        awaitTrue(() -> ab.suite().equals(SuiteId.MLKEM1024_SLHDSA_SHA2_128F), "the session re-keyed to the new suite");
        NodeId alphaAfter = nodes.identity("alpha").nodeId();
        assertNotEquals(alphaBefore, alphaAfter);
        awaitTrue(() -> nodes.channels("beta").sessions().stream().anyMatch(s -> s.peer().equals(alphaAfter)),
                "beta accepted alpha's new identity through its signed rotation");
        ab.send(APP, "after".getBytes());
        awaitTrue(() -> received.get("beta").size() == total + 1, "the session still works");
    }

    @Test
    void aPeerWithAnotherIdentityFailsAuthentication() throws Exception {
        NodeId someoneElse = nodes.identity("alpha").nodeId(); // beta's address, alpha's identity expected
        ExecutionException e = assertThrows(ExecutionException.class, () -> nodes.channels("alpha")
                .connect(nodes.loopbackAddress("beta"), Optional.of(someoneElse)).toCompletableFuture().get(20, TimeUnit.SECONDS));
        ChannelException ce = assertInstanceOf(ChannelException.class, e.getCause());
        assertEquals(ChannelException.Reason.AUTHENTICATION_FAILED, ce.reason());
        awaitTrue(() -> nodes.channels("alpha").counters().getOrDefault("authentication-failed", 0L) >= 1, "counted");
    }

    @Test
    void replayedHandshakesAndMessagesAreRejectedAndCounted() throws Exception {
        List<byte[]> seenByBeta = Collections.synchronizedList(new ArrayList<>());
        java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
        p.put(DatagramHandler.NODE_PROPERTY, "beta");
        var tap = context.registerService(DatagramHandler.class, (t, from, datagram) -> seenByBeta.add(datagram), p);
        try {
            SecureSession ab = connect("alpha", "beta");
            ab.send(APP, "once".getBytes());
            awaitTrue(() -> received.get("beta").size() == 1, "delivered once");
            byte[] init = first(seenByBeta, 1);
            byte[] data = last(seenByBeta, 5);
            // an attacker on the path sends both again, from its own socket
            var attacker = nodes.transport("alpha");
            attacker.send(nodes.loopbackAddress("beta"), init);
            attacker.send(nodes.loopbackAddress("beta"), data);
            awaitTrue(() -> nodes.channels("beta").counters().getOrDefault("replay", 0L) >= 2, "both replays counted: "
                    + nodes.channels("beta").counters());
            Thread.sleep(200);
            assertEquals(1, received.get("beta").size(), "the replayed message was not delivered again");
        } finally {
            tap.unregister();
        }
    }

    @Test
    void garbageTruncatedAndTamperedFramesAreCountedAndTheNodeKeepsServing() throws Exception {
        SecureSession ab = connect("alpha", "beta");
        var raw = nodes.transport("alpha");
        var beta = nodes.loopbackAddress("beta");
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[1 + random.nextInt(1500)];
            random.nextBytes(junk);
            raw.send(beta, junk);
        }
        raw.send(beta, new byte[] {1});                     // a truncated init
        raw.send(beta, new byte[] {5, 0, 0, 0, 1, 0, 0, 0}); // a truncated data packet
        byte[] tooBig = new byte[200_000];
        tooBig[0] = 1;
        raw.send(beta, tooBig);                             // an oversized init
        awaitTrue(() -> total(nodes.channels("beta").counters()) >= 200, "rejections counted: " + nodes.channels("beta").counters());
        ab.send(APP, "still here".getBytes());
        awaitTrue(() -> received.get("beta").size() == 1, "beta keeps serving after the garbage");
        assertTrue(nodes.channels("beta").counters().getOrDefault("malformed", 0L) >= 1, nodes.channels("beta").counters().toString());
    }

    @Test
    void echoAnswersOverTheSession() throws Exception {
        List<byte[]> replies = Collections.synchronizedList(new ArrayList<>());
        nodes.handle("alpha", Protocols.ECHO, (session, protocol, message) -> replies.add(message));
        SecureSession ab = connect("alpha", "beta");
        byte[] request = new byte[100];
        request[0] = 0;
        request[5] = 42;
        ab.send(Protocols.ECHO, request);
        awaitTrue(() -> replies.size() == 1, "the echo reply");
        assertEquals(1, replies.get(0)[0], "marked as a reply");
        assertEquals(42, replies.get(0)[5]);
    }

    private static long total(Map<String, Long> counters) {
        return counters.values().stream().mapToLong(Long::longValue).sum();
    }

    private static byte[] first(List<byte[]> packets, int type) {
        synchronized (packets) {
            return packets.stream().filter(b -> b.length > 0 && b[0] == type).findFirst().orElseThrow();
        }
    }

    private static byte[] last(List<byte[]> packets, int type) {
        synchronized (packets) {
            byte[] found = null;
            for (byte[] b : packets) {
                if (b.length > 0 && b[0] == type) {
                    found = b;
                }
            }
            return found;
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
