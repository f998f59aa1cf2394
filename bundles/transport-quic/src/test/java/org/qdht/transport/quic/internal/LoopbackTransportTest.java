package org.qdht.transport.quic.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qdht.api.PeerAddress;
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;
import org.qdht.api.transport.TransportStream;

/**
 * Two real endpoints on 127.0.0.1 talking QUIC through Kwik: bulk streams, datagrams both ways,
 * connection reuse, refusals and errors. No mocks: real sockets, real handshakes.
 */
class LoopbackTransportTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Endpoints endpoints = new Endpoints();
    private final HandlerBoard boardA = new HandlerBoard();
    private final HandlerBoard boardB = new HandlerBoard();
    private final ExecutorService handlerThreads = Executors.newCachedThreadPool();
    private QuicEndpoint a;
    private QuicEndpoint b;

    @BeforeEach
    void startTwoEndpoints() throws Exception {
        a = endpoints.start("alpha", boardA);
        b = endpoints.start("beta", boardB);
    }

    @AfterEach
    void stopThem() {
        endpoints.close();
        handlerThreads.shutdownNow();
    }

    @Test
    void oneMebibyteGoesBothWaysOverOneStream() throws Exception {
        boardB.putStreamHandler(echo(), endpoints.properties());
        byte[] sent = new byte[1 << 20];
        new Random(42).nextBytes(sent);

        TransportStream stream = open(a, Endpoints.address(b));
        assertTrue(((QuicTransportStream) stream).rescueAvailable(), "the workaround for Kwik's lost send requests is on");
        Future<?> writer = handlerThreads.submit(() -> {
            OutputStream out = stream.output();
            for (int at = 0; at < sent.length; at += 16 * 1024) {
                out.write(sent, at, 16 * 1024);
            }
            out.close();
            return null;
        });
        byte[] echoed = stream.input().readAllBytes();
        writer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        stream.close();

        assertArrayEquals(sent, echoed, "the echo is the megabyte sent");
        assertTrue(a.stats().bytesOut() >= sent.length && a.stats().bytesIn() >= sent.length, a.stats().toString());
        assertTrue(b.stats().bytesIn() >= sent.length && b.stats().bytesOut() >= sent.length, b.stats().toString());
        assertEquals(1, a.connectionCount());
        assertEquals(1, b.connectionCount());
    }

    @Test
    void datagramsGoBothWaysOverTheConnectionTheSenderOpened() throws Exception {
        ConcurrentLinkedQueue<String> atB = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> atA = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<PeerAddress> replySenders = new ConcurrentLinkedQueue<>();
        boardB.putDatagramHandler((transport, from, datagram) -> {
            String text = new String(datagram, StandardCharsets.UTF_8);
            atB.add(from + " " + text);
            try {
                transport.send(from, ("re:" + text).getBytes(StandardCharsets.UTF_8)); // the reply path
            } catch (TransportException e) {
                throw new IllegalStateException(e);
            }
        }, endpoints.properties("qdht.transport.scheme", "quic", "qdht.node.name", "beta"));
        boardA.putDatagramHandler((transport, from, datagram) -> {
            replySenders.add(from);
            atA.add(new String(datagram, StandardCharsets.UTF_8));
        }, endpoints.properties());

        for (int i = 0; i < 10; i++) {
            a.send(Endpoints.address(b), ("ping " + i).getBytes(StandardCharsets.UTF_8));
        }
        try {
            // datagrams are unreliable: Kwik may deliver one twice (seen once on Temurin 25), the
            // channel above drops such replays; what counts here is that every reply arrives
            await().atMost(TIMEOUT).until(() -> new java.util.HashSet<>(atA).size() == 10);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("B got " + atB.size() + ", A got " + atA.size() + "; A " + a.stats() + ", keep-alives in "
                    + a.keepAlivesReceived() + ", connections " + a.connectionCount() + "; B " + b.stats(), e);
        }
        assertTrue(atA.contains("re:ping 0") && atA.contains("re:ping 9"), atA.toString());
        assertTrue(replySenders.stream().allMatch(Endpoints.address(b)::equals), "replies come from B's address: " + replySenders);
        assertTrue(atB.stream().allMatch(s -> s.startsWith("quic://127.0.0.1:")), atB.toString());
        assertEquals(1, a.connectionCount(), "the replies used A's connection");
        assertEquals(1, b.connectionCount(), "B answered on the inbound connection, not a new one");
        assertEquals(10, a.stats().datagramsOut());
        assertTrue(a.stats().datagramsIn() >= 10, a.stats().toString());
    }

    @Test
    void largestDatagramArrivesAndOneByteMoreIsRefused() throws Exception {
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        boardB.putDatagramHandler((t, from, d) -> received.complete(d), endpoints.properties());
        byte[] largest = new byte[b.maxDatagramSize()];
        new Random(7).nextBytes(largest);
        assertEquals(1200, largest.length);

        a.send(Endpoints.address(b), largest);
        assertArrayEquals(largest, received.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));

        TransportException e = assertThrows(TransportException.class, () -> a.send(Endpoints.address(b), new byte[1201]));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals(1L, a.stats().rejected().get(TrafficCounters.TOO_LARGE));
    }

    @Test
    void hundredStreamsShareOneConnection() throws Exception {
        boardB.putStreamHandler((transport, stream) -> handlerThreads.execute(() -> {
            try (stream) {
                String request = new String(stream.input().readAllBytes(), StandardCharsets.UTF_8);
                stream.output().write(("answer to " + request).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the test fails on the missing answer
            }
        }), endpoints.properties());

        List<CompletableFuture<TransportStream>> opening = new ArrayList<>();
        for (int i = 0; i < PeerConnection.MAX_STREAMS; i++) {
            opening.add(a.openStream(Endpoints.address(b)).toCompletableFuture());
        }
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < opening.size(); i++) {
            TransportStream s = opening.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String request = "question " + i;
            answers.add(handlerThreads.submit(() -> {
                try (s) {
                    s.output().write(request.getBytes(StandardCharsets.UTF_8));
                    s.output().close();
                    return new String(s.input().readAllBytes(), StandardCharsets.UTF_8);
                }
            }));
        }
        // a hundred streams at once can overflow the loopback socket buffers on a loaded machine;
        // QUIC then recovers by retransmission with a backed-off probe timeout, which can take
        // longer than TIMEOUT (seen once on 2 cores): what must hold is that every answer comes
        for (int i = 0; i < answers.size(); i++) {
            assertEquals("answer to question " + i, answers.get(i).get(3 * TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(1, a.connectionCount(), "all streams on one connection");
        assertEquals(1, b.connectionCount());

        // the streams are closed, so there is credit for the next hundred on the same connection
        TransportStream again = open(a, Endpoints.address(b));
        again.output().write("once more".getBytes(StandardCharsets.UTF_8));
        again.output().close();
        assertEquals("answer to once more", new String(again.input().readAllBytes(), StandardCharsets.UTF_8));
        again.close();
        assertEquals(1, a.connectionCount());
    }

    @Test
    void streamWithoutHandlerIsRefusedAndLooksClosedToTheOpener() throws Exception {
        TransportStream stream = open(a, Endpoints.address(b));
        stream.output().write("anyone?".getBytes(StandardCharsets.UTF_8));
        assertEquals(-1, stream.input().read(), "a refused stream reads as end of stream");
        await().atMost(TIMEOUT).until(() -> b.stats().rejected().getOrDefault(TrafficCounters.NO_HANDLER, 0L) == 1L);
        TransportException e = assertThrows(TransportException.class, () -> {
            for (int i = 0; i < 100; i++) {
                stream.output().write(new byte[1024]); // fails once the peer's STOP_SENDING is in
                Thread.sleep(10);
            }
        });
        assertEquals(Reason.CLOSED, e.reason());
        stream.close();
    }

    @Test
    void highestRankedStreamHandlerGetsTheStream() throws Exception {
        CompletableFuture<String> winner = new CompletableFuture<>();
        boardB.putStreamHandler(named("low", winner), endpoints.properties("service.ranking", 1));
        boardB.putStreamHandler(named("high", winner), endpoints.properties("service.ranking", 5));
        boardB.putStreamHandler(named("other node", winner), endpoints.properties("service.ranking", 9, "qdht.node.name", "gamma"));
        TransportStream stream = open(a, Endpoints.address(b));
        stream.output().write(1);
        assertEquals("high", winner.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        stream.close();
    }

    @Test
    void failingDatagramHandlerIsCountedAndTheOthersStillGetTheDatagram() throws Exception {
        CompletableFuture<byte[]> good = new CompletableFuture<>();
        boardB.putDatagramHandler((t, f, d) -> {
            throw new IllegalStateException("broken handler");
        }, endpoints.properties());
        boardB.putDatagramHandler((t, f, d) -> good.complete(d), endpoints.properties());
        boardB.putDatagramHandler((t, f, d) -> good.completeExceptionally(new AssertionError("wrong scheme")),
                endpoints.properties("qdht.transport.scheme", new String[] {"udp", "ble"}));

        a.send(Endpoints.address(b), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, good.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        await().atMost(TIMEOUT).until(() -> b.stats().rejected().getOrDefault(TrafficCounters.HANDLER_FAILED, 0L) == 1L);
    }

    @Test
    void closeFailsABlockedReadAndLaterWrites() throws Exception {
        boardB.putStreamHandler((t, s) -> { /* keeps the stream open and silent */ }, endpoints.properties());
        TransportStream stream = open(a, Endpoints.address(b));
        stream.output().write(1);
        Future<Integer> reader = handlerThreads.submit(() -> stream.input().read());
        Thread.sleep(200);
        stream.close();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> reader.get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof IOException, failed.getCause().toString());
        TransportException write = assertThrows(TransportException.class, () -> stream.output().write(2));
        assertEquals(Reason.CLOSED, write.reason());
        assertThrows(IOException.class, () -> stream.input().read());
        stream.close(); // idempotent
    }

    @Test
    void sendRefusesWhatItCannotCarry() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> a.send(PeerAddress.parse("udp://127.0.0.1:4100"), new byte[1]));
        TransportException name = assertThrows(TransportException.class,
                () -> a.send(PeerAddress.parse("quic://example.org:4101"), new byte[1]));
        assertEquals(Reason.UNREACHABLE, name.reason(), "host names are not resolved");
        CompletableFuture<TransportStream> noPort = a.openStream(PeerAddress.parse("quic://[::1]")).toCompletableFuture();
        ExecutionException stream = assertThrows(ExecutionException.class, () -> noPort.get(5, TimeUnit.SECONDS));
        assertEquals(Reason.UNREACHABLE, ((TransportException) stream.getCause()).reason());

        a.stop();
        TransportException closed = assertThrows(TransportException.class, () -> a.send(Endpoints.address(b), new byte[1]));
        assertEquals(Reason.CLOSED, closed.reason());
        assertTrue(a.localAddresses().isEmpty());
        assertEquals(2L, a.stats().rejected().get(TrafficCounters.UNREACHABLE));
        assertEquals(1L, a.stats().rejected().get(TrafficCounters.CLOSED));
    }

    private static TransportStream open(QuicEndpoint from, PeerAddress to) throws Exception {
        return from.openStream(to).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private StreamHandler echo() {
        return (transport, stream) -> handlerThreads.execute(() -> {
            try (stream) {
                InputStream in = stream.input();
                OutputStream out = stream.output();
                byte[] buffer = new byte[16 * 1024];
                for (int n; (n = in.read(buffer)) > 0;) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the opener sees the truncated echo
            }
        });
    }

    private static StreamHandler named(String name, CompletableFuture<String> winner) {
        return (transport, stream) -> {
            winner.complete(name);
            stream.close();
        };
    }
}
