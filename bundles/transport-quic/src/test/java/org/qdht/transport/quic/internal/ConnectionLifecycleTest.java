package org.qdht.transport.quic.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.qdht.api.PeerAddress;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;
import org.qdht.api.transport.TransportStream;

/** Connections over time: keep-alive while in use, closing when idle, unreachable peers, the limit, stopping. */
class ConnectionLifecycleTest {
    private final Endpoints endpoints = new Endpoints();

    @AfterEach
    void stop() {
        endpoints.close();
    }

    @Test
    void busyConnectionIsKeptAliveAndAnIdleOneIsClosedOnBothSides() throws Exception {
        EndpointSettings quick = EndpointSettings.loopback()
                .withTimings(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5));
        HandlerBoard serverBoard = new HandlerBoard();
        CompletableFuture<TransportStream> held = new CompletableFuture<>();
        serverBoard.putStreamHandler((t, s) -> held.complete(s), endpoints.properties());
        QuicEndpoint client = endpoints.start("client", quick, new HandlerBoard());
        QuicEndpoint server = endpoints.start("server", quick, serverBoard);

        TransportStream stream = client.openStream(Endpoints.address(server)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        stream.output().write(1);
        TransportStream serverSide = held.get(10, TimeUnit.SECONDS);

        // an open stream keeps the connection in use past the idle timeout; keep-alives flow meanwhile
        Thread.sleep(2_600);
        assertEquals(1, client.connectionCount(), "in use: not closed");
        assertEquals(1, server.connectionCount());
        assertTrue(client.keepAlivesSent() >= 1, "keep-alives sent: " + client.keepAlivesSent());
        await().atMost(Duration.ofSeconds(2)).until(() -> server.keepAlivesReceived() >= 1);
        assertEquals(0, server.keepAlivesSent(), "only the side that opened the connection sends keep-alives");
        assertEquals(0, server.stats().datagramsIn(), "keep-alives are not delivered as datagrams");

        stream.close();
        serverSide.close();
        long closedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(6)).until(() -> client.connectionCount() == 0 && server.connectionCount() == 0);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);
        assertTrue(took >= 1_500, "closed after the idle timeout, not before: " + took + " ms");

        // the next message opens a new connection
        CompletableFuture<String> got = new CompletableFuture<>();
        serverBoard.putDatagramHandler((t, f, d) -> got.complete(new String(d, StandardCharsets.UTF_8)), endpoints.properties());
        client.send(Endpoints.address(server), "after idle".getBytes(StandardCharsets.UTF_8));
        assertEquals("after idle", got.get(10, TimeUnit.SECONDS));
        assertEquals(1, client.connectionCount());
    }

    @Test
    void silentPeerIsUnreachableAndThenRefusedFastForAWhile() throws Exception {
        EndpointSettings impatient = EndpointSettings.loopback()
                .withTimings(Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(1));
        QuicEndpoint client = endpoints.start("client", impatient, new HandlerBoard());
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            PeerAddress nobody = PeerAddress.of("quic", QuicLocation.format((InetSocketAddress) silent.getLocalSocketAddress()));
            client.send(nobody, new byte[] {1}); // queued while the handshake runs
            long start = System.nanoTime();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> client.openStream(nobody).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals(Reason.UNREACHABLE, ((TransportException) failed.getCause()).reason());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the connect timeout applies");

            TransportException fast = assertThrows(TransportException.class, () -> client.send(nobody, new byte[] {2}));
            assertEquals(Reason.UNREACHABLE, fast.reason(), "refused at once during the backoff");
            assertEquals(0, client.connectionCount());
            assertTrue(client.stats().rejected().get(TrafficCounters.UNREACHABLE) >= 3, client.stats().toString());
        }
    }

    @Test
    void connectionLimitEvictsTheLeastRecentlyUsedIdleConnection() throws Exception {
        QuicEndpoint client = endpoints.start("client", EndpointSettings.loopback().withMaxConnections(2), new HandlerBoard());
        QuicEndpoint[] servers = new QuicEndpoint[3];
        CompletableFuture<?>[] received = new CompletableFuture<?>[3];
        for (int i = 0; i < 3; i++) {
            HandlerBoard board = new HandlerBoard();
            CompletableFuture<byte[]> r = new CompletableFuture<>();
            board.putDatagramHandler((t, f, d) -> r.complete(d), endpoints.properties());
            received[i] = r;
            servers[i] = endpoints.start("server" + i, board);
        }
        for (int i = 0; i < 3; i++) {
            client.send(Endpoints.address(servers[i]), new byte[] {(byte) i});
            received[i].get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, client.connectionCount(), "bounded by maxConnections");
        await().atMost(Duration.ofSeconds(5)).until(() -> servers[0].connectionCount() == 0);
        assertEquals(1, servers[2].connectionCount());
    }

    /**
     * Twenty connections that open, talk and close, then a 16 MiB transfer: without the
     * {@link StalledSendRescue}, Kwik 0.10.8 lost a send request and stalled this transfer for good
     * in about one run of three here.
     */
    @Test
    void bulkTransferRightAfterConnectionChurnCompletes() throws Exception {
        HandlerBoard board = new HandlerBoard();
        board.putStreamHandler((t, s) -> new Thread(() -> {
            try (s) {
                long n = s.input().transferTo(java.io.OutputStream.nullOutputStream());
                s.output().write(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
            } catch (java.io.IOException e) {
                // the sender sees no answer
            }
        }).start(), endpoints.properties());
        QuicEndpoint server = endpoints.start("server", board);
        PeerAddress to = Endpoints.address(server);
        for (int i = 0; i < 20; i++) {
            QuicEndpoint c = new QuicEndpoint("churn" + i, EndpointSettings.loopback(), 0, new HandlerBoard(), EndpointLog.NONE);
            c.start();
            try (TransportStream s = c.openStream(to).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
                s.output().write(new byte[200]);
                s.output().close();
                s.input().readAllBytes();
            }
            c.stop();
        }
        QuicEndpoint client = endpoints.start("bulk", new HandlerBoard());
        TransportStream stream = client.openStream(to).toCompletableFuture().get(10, TimeUnit.SECONDS);
        String answer = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 256; i++) {
                stream.output().write(chunk);
            }
            stream.output().close();
            return new String(stream.input().readAllBytes(), StandardCharsets.US_ASCII);
        });
        stream.close();
        assertEquals(Long.toString(16L << 20), answer);
    }

    @Test
    void stopReleasesThePortAndEveryThread() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        HandlerBoard board = new HandlerBoard();
        CompletableFuture<byte[]> r = new CompletableFuture<>();
        board.putDatagramHandler((t, f, d) -> r.complete(d), endpoints.properties());
        QuicEndpoint server = new QuicEndpoint("server", EndpointSettings.loopback(), 0, board, EndpointLog.NONE);
        QuicEndpoint client = new QuicEndpoint("client", EndpointSettings.loopback(), 0, new HandlerBoard(), EndpointLog.NONE);
        server.start();
        client.start();
        client.send(Endpoints.address(server), new byte[] {1});
        r.get(10, TimeUnit.SECONDS);
        InetSocketAddress port = server.boundAddress();

        client.stop();
        server.stop();
        server.stop(); // idempotent

        // a restart on the same port works at once (the old socket is released a moment after stop)
        QuicEndpoint restarted = new QuicEndpoint("server", EndpointSettings.loopback(), port.getPort(), board, EndpointLog.NONE);
        restarted.start();
        assertEquals(port, restarted.boundAddress());
        restarted.stop();
        await("the UDP port is free again").atMost(Duration.ofSeconds(5)).until(() -> {
            try (DatagramSocket again = new DatagramSocket(port)) {
                return true;
            } catch (java.net.BindException stillHeld) {
                return false;
            }
        });
        await("threads of the stopped endpoints end").pollInSameThread().atMost(Duration.ofSeconds(10))
                .until(() -> newThreads(before), Set::isEmpty);
    }

    /** Threads started since {@code before} that are still alive, other than JUnit's and the JDK's own. */
    static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .filter(name -> !name.startsWith("Common-Cleaner") && !name.startsWith("ForkJoinPool")
                        && !name.startsWith("process reaper") && !name.startsWith("Attach Listener"))
                .collect(Collectors.toSet());
    }
}
