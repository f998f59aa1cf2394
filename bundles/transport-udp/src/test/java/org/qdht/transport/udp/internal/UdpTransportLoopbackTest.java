package org.qdht.transport.udp.internal;

import org.qdht.transport.support.HandlerWhiteboard;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qdht.api.PeerAddress;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;
import org.qdht.api.transport.TransportStats;

/** Two real transports on the loopback interface, each with its own socket and receive thread. */
class UdpTransportLoopbackTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final HandlerWhiteboard<DatagramHandler> handlers = new HandlerWhiteboard<>();
    final RecordingLogger log = new RecordingLogger();
    final UdpSettings settings = UdpSettings.defaultsOn(LOOPBACK);
    final Inbox alphaInbox = new Inbox();
    final Inbox betaInbox = new Inbox();
    UdpTransport alpha;
    UdpTransport beta;

    @BeforeEach
    void open() throws IOException {
        alpha = UdpTransport.open("alpha", 0, settings, handlers, log.logger);
        beta = UdpTransport.open("beta", 0, settings, handlers, log.logger);
        handlers.add(alphaInbox, Map.of(Transport.SCHEME_PROPERTY, "udp", Transport.NODE_PROPERTY, "alpha"));
        handlers.add(betaInbox, Map.of(Transport.SCHEME_PROPERTY, "udp", Transport.NODE_PROPERTY, "beta"));
    }

    @AfterEach
    void close() {
        alpha.close();
        beta.close();
    }

    @Test
    void messagesOf64And200KibTravelBothWays() throws Exception {
        for (int size : new int[] {64 * 1024, 200 * 1024}) {
            byte[] toBeta = FragmentCodecTest.randomBytes(size);
            byte[] toAlpha = FragmentCodecTest.randomBytes(size + 1);
            alpha.send(address(beta), toBeta);
            beta.send(address(alpha), toAlpha);
            Received atBeta = betaInbox.next();
            Received atAlpha = alphaInbox.next();
            assertArrayEquals(toBeta, atBeta.data, size + " bytes to beta");
            assertArrayEquals(toAlpha, atAlpha.data, size + 1 + " bytes to alpha");
            assertEquals(address(alpha), atBeta.from, "the sender's address, to reply to");
            assertSame(beta, atBeta.transport);
        }
        TransportStats a = alpha.stats();
        assertEquals(2, a.datagramsOut());
        assertEquals(2, a.datagramsIn());
        assertEquals(64 * 1024 + 200 * 1024, a.bytesOut(), "payload bytes, without fragment headers");
        assertEquals(64 * 1024 + 200 * 1024 + 2, a.bytesIn());
        assertEquals(0, a.totalRejected() + beta.stats().totalRejected(), a.rejected().toString());
    }

    @Test
    void thousandSmallMessagesArriveEachWay() throws Exception {
        for (int i = 0; i < 1000; i++) {
            alpha.send(address(beta), ByteBuffer.allocate(100).putInt(i).array());
            beta.send(address(alpha), ByteBuffer.allocate(60).putInt(-i).array());
        }
        Set<Integer> atBeta = new HashSet<>();
        Set<Integer> atAlpha = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            atBeta.add(ByteBuffer.wrap(betaInbox.next().data).getInt());
            atAlpha.add(-ByteBuffer.wrap(alphaInbox.next().data).getInt());
        }
        assertEquals(1000, atBeta.size());
        assertEquals(1000, atAlpha.size());
        assertEquals(1000, beta.stats().datagramsIn());
        assertEquals(100_000, beta.stats().bytesIn());
        assertEquals(60_000, beta.stats().bytesOut());
    }

    @Test
    void largestMessageIsAcceptedAndOneByteMoreIsTooLarge() throws Exception {
        assertEquals(262_144, alpha.maxDatagramSize());
        byte[] largest = FragmentCodecTest.randomBytes(262_144);
        alpha.send(address(beta), largest);
        assertArrayEquals(largest, betaInbox.next().data);
        TransportException e = assertThrows(TransportException.class, () -> alpha.send(address(beta), new byte[262_145]));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals(Map.of("too-large", 1L), alpha.stats().rejected());
        assertEquals(1, alpha.stats().datagramsOut());
    }

    @Test
    void emptyDatagramIsDelivered() throws Exception {
        alpha.send(address(beta), new byte[0]);
        assertEquals(0, betaInbox.next().data.length);
    }

    @Test
    void sendRefusesOtherSchemesBadLocationsAndClosedTransports() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> alpha.send(PeerAddress.parse("mem://beta"), new byte[1]));
        for (String bad : new String[] {"udp://no-port", "udp://127.0.0.1:0", "udp://[::1"}) {
            TransportException e = assertThrows(TransportException.class, () -> alpha.send(PeerAddress.parse(bad), new byte[1]));
            assertEquals(Reason.UNREACHABLE, e.reason(), bad);
        }
        alpha.close();
        TransportException closed = assertThrows(TransportException.class, () -> alpha.send(address(beta), new byte[1]));
        assertEquals(Reason.CLOSED, closed.reason());
        assertEquals(List.of(), alpha.localAddresses());
    }

    @Test
    void streamsAreRefused() {
        assertFalse(alpha.supportsStreams());
        CompletionException e = assertThrows(CompletionException.class,
                () -> alpha.openStream(address(beta)).toCompletableFuture().join());
        assertEquals(Reason.REFUSED, ((TransportException) e.getCause()).reason());
        assertThrows(IllegalArgumentException.class, () -> alpha.openStream(PeerAddress.parse("quic://127.0.0.1:1")));
    }

    @Test
    void failingHandlerIsCountedLoggedAndDoesNotStopTheOthers() throws Exception {
        DatagramHandler failing = (t, from, data) -> {
            throw new IllegalStateException("handler bug");
        };
        handlers.add(failing, Map.of(Transport.NODE_PROPERTY, "beta", "service.ranking", 100));
        alpha.send(address(beta), new byte[] {1});
        alpha.send(address(beta), new byte[] {2});
        assertArrayEquals(new byte[] {1}, betaInbox.next().data);
        assertArrayEquals(new byte[] {2}, betaInbox.next().data);
        assertEquals(Map.of("handler-error", 2L), beta.stats().rejected());
        assertTrue(log.has("WARN", "datagram handler"), log.entries.toString());
    }

    @Test
    void datagramWithoutHandlerIsCounted() throws Exception {
        try (UdpTransport gamma = UdpTransport.open("gamma", 0, settings, handlers, log.logger)) {
            alpha.send(address(gamma), new byte[] {1});
            await().atMost(TIMEOUT).until(() -> gamma.stats().rejected().getOrDefault("no-handler", 0L) == 1L);
            assertEquals(0, gamma.stats().datagramsIn());
        }
    }

    @Test
    void garbagePacketsAreCountedAndReceptionGoesOn() throws Exception {
        try (DatagramSocket raw = new DatagramSocket(0, LOOPBACK)) {
            InetSocketAddress target = new InetSocketAddress(LOOPBACK, beta.port());
            send(raw, target, new byte[] {1, 2, 3});                                          // shorter than a header
            send(raw, target, FragmentCodecTest.withPayload(FragmentCodecTest.header(0, 1), 1201)); // above the MTU
            send(raw, target, FragmentCodecTest.withPayload(FragmentCodecTest.header(0, 220), 10)); // too many fragments
            send(raw, target, FragmentCodecTest.withPayload(FragmentCodecTest.header(5, 2), 10));   // index beyond count
            send(raw, target, new byte[65_507]);                                                   // largest UDP packet, version 0
            alpha.send(address(beta), new byte[] {42});
            assertArrayEquals(new byte[] {42}, betaInbox.next().data);
            assertEquals(Map.of("malformed", 3L, "too-large", 2L), beta.stats().rejected());
        }
    }

    @Test
    void incompleteMessageIsDroppedAfterTheTimeoutWithoutFurtherTraffic() throws Exception {
        UdpSettings quick = new UdpSettings(LOOPBACK, 0, 1200, 262_144, 32, 16 << 20, 200, 0);
        try (UdpTransport gamma = UdpTransport.open("gamma", 0, quick, handlers, log.logger);
                DatagramSocket raw = new DatagramSocket(0, LOOPBACK)) {
            List<byte[]> packets = new FragmentCodec(1200, 262_144).encode(7, new byte[5000]);
            send(raw, new InetSocketAddress(LOOPBACK, gamma.port()), packets.get(0));
            await().atMost(TIMEOUT).until(() -> gamma.stats().rejected().getOrDefault("reassembly-timeout", 0L) == 1L);
        }
    }

    @Test
    void closeEndsTheReceiveThreadAndFreesThePort() throws Exception {
        int port = alpha.port();
        assertTrue(threadNamed("qdht-udp-alpha"));
        alpha.close();
        assertFalse(threadNamed("qdht-udp-alpha"));
        alpha = UdpTransport.open("alpha", port, settings, handlers, log.logger);
        assertEquals(port, alpha.port());
    }

    @Test
    void secondSocketOnATakenPortFailsToBind() {
        assertThrows(IOException.class, () -> UdpTransport.open("twin", beta.port(), settings, handlers, log.logger));
        assertFalse(threadNamed("qdht-udp-twin"));
    }

    @Test
    void localAddressIsTheBoundOneOrEveryInterfaceWithLoopbackLast() throws Exception {
        assertEquals(List.of(PeerAddress.parse("udp://127.0.0.1:" + alpha.port())), alpha.localAddresses());
        UdpSettings wildcard = UdpSettings.defaultsOn(UdpSettings.bindAddress("0.0.0.0"));
        try (UdpTransport everywhere = UdpTransport.open("everywhere", 0, wildcard, handlers, log.logger)) {
            List<PeerAddress> addresses = everywhere.localAddresses();
            assertEquals(PeerAddress.parse("udp://127.0.0.1:" + everywhere.port()), addresses.get(addresses.size() - 1));
            everywhere.send(address(beta), new byte[] {7});
            assertEquals(everywhere.port(), Integer.parseInt(betaInbox.next().from.location().split(":")[1]));
        }
    }

    private static PeerAddress address(UdpTransport t) {
        return PeerAddress.parse("udp://127.0.0.1:" + t.port());
    }

    private static void send(DatagramSocket raw, InetSocketAddress to, byte[] packet) throws IOException {
        raw.send(new DatagramPacket(packet, packet.length, to));
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    record Received(Transport transport, PeerAddress from, byte[] data) {
    }

    static final class Inbox implements DatagramHandler {
        final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();

        @Override
        public void onDatagram(Transport transport, PeerAddress from, byte[] datagram) {
            queue.add(new Received(transport, from, datagram));
        }

        Received next() throws InterruptedException {
            Received r = queue.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(r, "no datagram within " + TIMEOUT);
            return r;
        }
    }
}
