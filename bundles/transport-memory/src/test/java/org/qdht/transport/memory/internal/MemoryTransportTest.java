package org.qdht.transport.memory.internal;

import org.qdht.transport.support.HandlerWhiteboard;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.qdht.api.PeerAddress;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;
import org.qdht.api.transport.TransportStream;

/** Datagrams between in-memory transports: addressing, errors, seeded loss, latency and handlers. */
class MemoryTransportTest {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final PeerAddress ALPHA = PeerAddress.parse("mem://alpha");
    static final PeerAddress BETA = PeerAddress.parse("mem://beta");

    final HandlerWhiteboard<DatagramHandler> datagramHandlers = new HandlerWhiteboard<>();
    final HandlerWhiteboard<StreamHandler> streamHandlers = new HandlerWhiteboard<>();
    final RecordingLogger log = new RecordingLogger();
    final Switchboard switchboard = new Switchboard(MemorySettings.perfect());
    final MemoryTransport alpha = attach("alpha", switchboard);
    final MemoryTransport beta = attach("beta", switchboard);

    @AfterEach
    void closeSwitchboard() {
        switchboard.close();
    }

    @Test
    void datagramReachesTheNamedNodeWithTheSendersAddress() throws Exception {
        BlockingQueue<Object[]> atBeta = inbox("beta");
        BlockingQueue<Object[]> atAlpha = inbox("alpha");
        byte[] data = {1, 2, 3};
        alpha.send(BETA, data);
        data[0] = 9; // the transport copied it
        Object[] received = next(atBeta);
        assertSame(beta, received[0]);
        assertEquals(ALPHA, received[1]);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) received[2]);
        assertTrue(atAlpha.isEmpty());
        assertEquals(List.of(ALPHA), alpha.localAddresses());
        assertEquals("mem", alpha.scheme());
        assertEquals(1, alpha.stats().datagramsOut());
        assertEquals(3, beta.stats().bytesIn());
    }

    @Test
    void sendRefusesUnknownNodesOtherSchemesLargeDatagramsAndClosedTransports() throws Exception {
        assertEquals(Reason.UNREACHABLE, assertThrows(TransportException.class, () -> alpha.send(PeerAddress.parse("mem://nobody"),
                new byte[1])).reason());
        assertThrows(IllegalArgumentException.class, () -> alpha.send(PeerAddress.parse("udp://127.0.0.1:1"), new byte[1]));
        assertEquals(65_536, alpha.maxDatagramSize());
        alpha.send(BETA, new byte[65_536]);
        assertEquals(Reason.TOO_LARGE, assertThrows(TransportException.class, () -> alpha.send(BETA, new byte[65_537])).reason());
        assertEquals(1L, alpha.stats().rejected().get("too-large"));
        alpha.close();
        assertEquals(Reason.CLOSED, assertThrows(TransportException.class, () -> alpha.send(BETA, new byte[1])).reason());
        assertEquals(List.of(), alpha.localAddresses());
        assertEquals(Reason.UNREACHABLE, assertThrows(TransportException.class, () -> beta.send(ALPHA, new byte[1])).reason(),
                "a closed transport leaves the switchboard");
    }

    @Test
    void sameSeedLosesTheSameDatagrams() throws Exception {
        Set<Integer> first = deliveredOutOf1000(0.3, 42);
        Set<Integer> second = deliveredOutOf1000(0.3, 42);
        Set<Integer> otherSeed = deliveredOutOf1000(0.3, 43);
        assertEquals(first, second);
        assertNotEquals(first, otherSeed);
        assertTrue(first.size() > 620 && first.size() < 780, "about 70% delivered: " + first.size());
        assertEquals(0, deliveredOutOf1000(1.0, 1).size());
        assertEquals(1000, deliveredOutOf1000(0.0, 1).size());
    }

    @Test
    void latencyDelaysDelivery() throws Exception {
        try (Switchboard slow = new Switchboard(new MemorySettings(0, 200, 1, 65_536, 65_536))) {
            MemoryTransport a = attach("alpha", slow);
            attach("beta", slow);
            BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
            datagramHandlers.add((t, from, data) -> arrivals.add(System.nanoTime()), Map.of());
            long sent = System.nanoTime();
            a.send(BETA, new byte[1]);
            Long arrived = arrivals.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(arrived);
            assertTrue(arrived - sent >= TimeUnit.MILLISECONDS.toNanos(200), (arrived - sent) / 1_000_000 + " ms");
        }
    }

    @Test
    void datagramWithoutHandlerAndFailingHandlerAreCounted() throws Exception {
        alpha.send(BETA, new byte[1]);
        await().atMost(TIMEOUT).until(() -> beta.stats().rejected().getOrDefault("no-handler", 0L) == 1L);
        datagramHandlers.add((t, from, data) -> {
            throw new IllegalStateException("handler bug");
        }, Map.of("service.ranking", 10));
        BlockingQueue<Object[]> atBeta = inbox("beta");
        alpha.send(BETA, new byte[] {5});
        assertArrayEquals(new byte[] {5}, (byte[]) next(atBeta)[2], "the other handler still gets it");
        assertEquals(1L, beta.stats().rejected().get("handler-error"));
        assertTrue(log.has("WARN", "datagram handler"), log.entries.toString());
    }

    @Test
    void streamGoesToTheHighestRankedHandlerOnly() throws Exception {
        BlockingQueue<TransportStream> low = new LinkedBlockingQueue<>();
        BlockingQueue<TransportStream> high = new LinkedBlockingQueue<>();
        streamHandlers.add((t, s) -> low.add(s), Map.of("service.id", 1L, "service.ranking", 1));
        streamHandlers.add((t, s) -> high.add(s), Map.of("service.id", 2L, "service.ranking", 5));
        streamHandlers.add((t, s) -> low.add(s), Map.of("service.id", 3L, "service.ranking", 50, "qdht.node.name", "alpha"));
        TransportStream mine = alpha.openStream(BETA).toCompletableFuture().get(5, TimeUnit.SECONDS);
        TransportStream theirs = high.poll(5, TimeUnit.SECONDS);
        assertNotNull(theirs);
        assertTrue(low.isEmpty());
        assertEquals(BETA, mine.remote());
        assertEquals(ALPHA, theirs.remote());
        assertTrue(alpha.supportsStreams());
        mine.close();
        theirs.close();
    }

    @Test
    void streamsAreRefusedWithoutHandlerAndWhenTheHandlerFails() {
        assertEquals(Reason.REFUSED, failureOf(alpha.openStream(BETA).toCompletableFuture()::join).reason());
        assertEquals(1L, beta.stats().rejected().get("no-handler"));
        streamHandlers.add((t, s) -> {
            throw new IllegalStateException("handler bug");
        }, Map.of());
        assertEquals(Reason.REFUSED, failureOf(alpha.openStream(BETA).toCompletableFuture()::join).reason());
        assertEquals(1L, beta.stats().rejected().get("handler-error"));
    }

    @Test
    void openStreamReportsUnknownNodesOtherSchemesAndClosedTransports() {
        assertEquals(Reason.UNREACHABLE, failureOf(alpha.openStream(PeerAddress.parse("mem://nobody")).toCompletableFuture()::join)
                .reason());
        assertThrows(IllegalArgumentException.class, () -> alpha.openStream(PeerAddress.parse("quic://127.0.0.1:1")));
        alpha.close();
        assertEquals(Reason.CLOSED, failureOf(alpha.openStream(BETA).toCompletableFuture()::join).reason());
    }

    @Test
    void closingTheSwitchboardEndsItsThread() {
        switchboard.carry(() -> { });
        await().atMost(TIMEOUT).until(() -> threadNamed("qdht-mem-switchboard"));
        switchboard.close();
        assertFalse(threadNamed("qdht-mem-switchboard"));
    }

    private Set<Integer> deliveredOutOf1000(double lossRate, long seed) throws Exception {
        try (Switchboard lossy = new Switchboard(new MemorySettings(lossRate, 0, seed, 65_536, 65_536))) {
            HandlerWhiteboard<DatagramHandler> handlers = new HandlerWhiteboard<>();
            Set<Integer> delivered = ConcurrentHashMap.newKeySet();
            handlers.add((t, from, data) -> delivered.add(ByteBuffer.wrap(data).getInt()), Map.of());
            MemoryTransport a = new MemoryTransport("a", lossy, handlers, streamHandlers, log.logger);
            MemoryTransport b = new MemoryTransport("b", lossy, handlers, streamHandlers, log.logger);
            lossy.attach(a);
            lossy.attach(b);
            for (int i = 0; i < 1000; i++) {
                a.send(PeerAddress.parse("mem://b"), ByteBuffer.allocate(4).putInt(i).array());
            }
            long lost = a.stats().rejected().getOrDefault("lost", 0L);
            await().atMost(TIMEOUT).until(() -> b.stats().datagramsIn() == 1000 - lost);
            assertEquals(1000, a.stats().datagramsOut(), "a lost datagram was still sent");
            return Set.copyOf(delivered);
        }
    }

    private MemoryTransport attach(String name, Switchboard board) {
        MemoryTransport t = new MemoryTransport(name, board, datagramHandlers, streamHandlers, log.logger);
        assertTrue(board.attach(t));
        return t;
    }

    private BlockingQueue<Object[]> inbox(String node) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        datagramHandlers.add((t, from, data) -> queue.add(new Object[] {t, from, data}),
                Map.of(Transport.SCHEME_PROPERTY, "mem", Transport.NODE_PROPERTY, node));
        return queue;
    }

    private static Object[] next(BlockingQueue<Object[]> queue) throws InterruptedException {
        Object[] r = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(r, "nothing arrived");
        return r;
    }

    static TransportException failureOf(Runnable join) {
        CompletionException e = assertThrows(CompletionException.class, join::run);
        return (TransportException) e.getCause();
    }

    static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
