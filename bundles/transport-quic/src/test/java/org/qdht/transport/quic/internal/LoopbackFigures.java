package org.qdht.transport.quic.internal;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.qdht.api.PeerAddress;
import org.qdht.api.transport.TransportStream;

/**
 * Loopback figures for the README (medians), not a regression test: run with
 * {@code mvn test -pl bundles/transport-quic -Dtest=LoopbackFigures -Dquic.figures=true}.
 */
@EnabledIfSystemProperty(named = "quic.figures", matches = "true")
class LoopbackFigures {

    @Test
    void measure() throws Exception {
        try (Endpoints endpoints = new Endpoints()) {
            HandlerBoard serverBoard = new HandlerBoard();
            serverBoard.putStreamHandler((t, s) -> new Thread(() -> respond(s)).start(), endpoints.properties());
            serverBoard.putDatagramHandler((t, from, d) -> {
                try {
                    t.send(from, d);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, endpoints.properties());
            QuicEndpoint server = endpoints.start("server", serverBoard);
            PeerAddress to = Endpoints.address(server);

            // new connection: handshake plus one stream exchange, from a fresh client endpoint each time
            List<Double> firstContact = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                QuicEndpoint client = new QuicEndpoint("c" + i, EndpointSettings.loopback(), 0, new HandlerBoard(), EndpointLog.NONE);
                client.start();
                long t0 = System.nanoTime();
                exchange(client, to, 200);
                firstContact.add(ms(t0));
                client.stop();
            }
            System.out.printf("first contact (handshake + 200 B request/response): first %.1f ms, median of the rest %.1f ms%n",
                    firstContact.get(0), median(firstContact.subList(1, firstContact.size())));

            // new connection, datagram: handshake, the server's ready datagram, then the 200 B echo
            List<Double> firstDatagram = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HandlerBoard board = new HandlerBoard();
                BlockingQueue<byte[]> echo = new ArrayBlockingQueue<>(1);
                board.putDatagramHandler((t, f, d) -> echo.add(d), endpoints.properties());
                QuicEndpoint fresh = new QuicEndpoint("d" + i, EndpointSettings.loopback(), 0, board, EndpointLog.NONE);
                fresh.start();
                long t0 = System.nanoTime();
                fresh.send(to, new byte[200]);
                if (echo.poll(5, TimeUnit.SECONDS) != null) {
                    firstDatagram.add(ms(t0));
                }
                fresh.stop();
            }
            System.out.printf("first contact by datagram (handshake + 200 B echo): median %.1f ms (%d of 20 answered)%n",
                    median(firstDatagram.subList(1, firstDatagram.size())), firstDatagram.size());

            HandlerBoard clientBoard = new HandlerBoard();
            BlockingQueue<byte[]> echoes = new ArrayBlockingQueue<>(16);
            clientBoard.putDatagramHandler((t, f, d) -> echoes.add(d), endpoints.properties());
            QuicEndpoint client = endpoints.start("client", clientBoard);
            exchange(client, to, 200);

            List<Double> requestResponse = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                long t0 = System.nanoTime();
                exchange(client, to, 200);
                requestResponse.add(ms(t0));
            }
            System.out.printf("200 B request/response on a new stream, warm connection: median %.2f ms%n",
                    median(requestResponse.subList(50, requestResponse.size())));

            List<Double> datagramRoundTrip = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                long t0 = System.nanoTime();
                client.send(to, new byte[200]);
                if (echoes.poll(2, TimeUnit.SECONDS) != null) {
                    datagramRoundTrip.add(ms(t0));
                }
            }
            System.out.printf("200 B datagram round trip: median %.2f ms (%d of 300 answered)%n",
                    median(datagramRoundTrip.subList(50, datagramRoundTrip.size())), datagramRoundTrip.size());

            List<Double> throughput = new ArrayList<>();
            int size = 16 << 20;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                exchange(client, to, size);
                throughput.add(size * 8 / (ms(t0) / 1000) / 1e6);
            }
            System.out.printf("bulk, 16 MiB one way on one stream: median %.0f Mbit/s (runs %s)%n", median(throughput), throughput);

            // threads: one client endpoint, ten server endpoints, then ten connections (one to each)
            QuicEndpoint many = endpoints.start("many", new HandlerBoard());
            List<PeerAddress> servers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                servers.add(Endpoints.address(endpoints.start("s" + i, serverBoard)));
            }
            Thread.sleep(300);
            java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
            for (PeerAddress s : servers) {
                exchange(many, s, 10);
            }
            Thread.sleep(500);
            java.util.Map<String, Long> added = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive())
                    .collect(java.util.stream.Collectors.groupingBy(t -> t.getName().replaceAll("[-0-9]+$", ""),
                            java.util.TreeMap::new, java.util.stream.Collectors.counting()));
            System.out.println("threads added by 10 connections (both ends): " + added);
            List<QuicEndpoint> clients = List.of(many);
            List<Double> stops = new ArrayList<>();
            for (QuicEndpoint c : clients) {
                long t0 = System.nanoTime();
                c.stop();
                stops.add(ms(t0));
            }
            long t0 = System.nanoTime();
            server.stop();
            System.out.printf("stop: client endpoint with one connection median %.1f ms; server after that %.1f ms%n",
                    median(stops), ms(t0));
        }
    }

    /** Sends {@code size} bytes on a new stream and waits for the 8-byte answer. */
    private static void exchange(QuicEndpoint client, PeerAddress to, int size) throws Exception {
        try (TransportStream s = client.openStream(to).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            byte[] chunk = new byte[Math.min(size, 64 * 1024)];
            for (int sent = 0; sent < size; sent += chunk.length) {
                s.output().write(chunk, 0, Math.min(chunk.length, size - sent));
            }
            s.output().close();
            s.input().readAllBytes();
        }
    }

    /** Reads everything, then answers with the count. */
    private static void respond(TransportStream s) {
        try (s) {
            InputStream in = s.input();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0;) {
                total += n;
            }
            s.output().write(String.format("%08d", total % 100_000_000).getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            // the measuring side times out
        }
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static double median(List<Double> values) {
        double[] sorted = unboxed(values);
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The values as a primitive array. */
    private static double[] unboxed(java.util.List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
