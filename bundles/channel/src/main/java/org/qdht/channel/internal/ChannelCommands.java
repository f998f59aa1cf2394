package org.qdht.channel.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.channel.SessionInfo;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportStats;

/** Gogo commands of the secure channel (scope {@code channel}). */
public final class ChannelCommands {
    static final String[] FUNCTIONS = {"sessions", "connect", "ping", "stats", "transports", "forget"};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChannelComponent channels;

    ChannelCommands(ChannelComponent channels) {
        this.channels = channels;
    }

    /** channel:sessions - every open session of every node: peer, suite, age, traffic. */
    public String sessions() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-10s %-17s %-24s %-26s %8s %12s %12s %7s%n", "NODE", "PEER", "REMOTE", "SUITE", "AGE",
                "BYTES-IN", "BYTES-OUT", "REKEYS"));
        int n = 0;
        for (Map.Entry<String, NodeChannel> e : channels.channels().entrySet()) {
            for (SessionInfo s : e.getValue().sessions()) {
                out.append(String.format("%-10s %-17s %-24s %-26s %8s %12d %12d %7d%n", e.getKey(), s.peer().toHex().substring(0, 16),
                        s.remote(), s.suite().name(), age(s.established()), s.bytesIn(), s.bytesOut(), s.rekeys()));
                n++;
            }
        }
        return n == 0 ? "no open sessions; open one with channel:connect <node> <address>" : out.toString();
    }

    /** channel:connect <node> <address> [nodeId-hex] - opens (or finds) a session and prints it. */
    public String connect(String node, String address, String... expectedPeer) throws Exception {
        NodeChannel channel = channel(node);
        Optional<NodeId> expected = expectedPeer.length == 0 ? Optional.empty() : Optional.of(NodeId.fromHex(expectedPeer[0]));
        SecureSession s = await(channel.connect(PeerAddress.parse(address), expected).toCompletableFuture(), 15);
        return "session with " + s.peer().toHex() + " at " + address + ", suite " + s.suite().name();
    }

    /**
     * channel:ping <node> <address> [count] [size] [interval-ms] - echo round trips over a secure
     * session: each reply is checked byte for byte; prints every tenth round trip and the median.
     */
    public String ping(String node, String address, String... options) throws Exception {
        int count = options.length > 0 ? Integer.parseInt(options[0]) : 4;
        int size = options.length > 1 ? Integer.parseInt(options[1]) : 64;
        int intervalMs = options.length > 2 ? Integer.parseInt(options[2]) : 0;
        if (count < 1 || count > 100_000 || size < 9 || size > SecureSession.MAX_MESSAGE_SIZE || intervalMs < 0) {
            return "count must be 1-100000, size 9-" + SecureSession.MAX_MESSAGE_SIZE + " bytes, interval >= 0 ms";
        }
        NodeChannel channel = channel(node);
        SecureSession s = await(channel.connect(PeerAddress.parse(address), Optional.empty()).toCompletableFuture(), 15);
        StringBuilder out = new StringBuilder("echo from " + s.peer().toHex().substring(0, 16) + " at " + address + " (" + s.suite().name() + ")\n");
        List<Double> rtts = new ArrayList<>();
        int corrupted = 0;
        for (int i = 0; i < count; i++) {
            long token = RANDOM.nextLong();
            byte[] request = EchoHandler.request(token, size);
            for (int b = 9; b < request.length; b++) {
                request[b] = (byte) (b * 31 + i);
            }
            var reply = channels.echo().expect(token);
            long start = System.nanoTime();
            s.send(Protocols.ECHO, request.clone());
            try {
                byte[] answer = reply.get(5, TimeUnit.SECONDS);
                double ms = (System.nanoTime() - start) / 1e6;
                rtts.add(ms);
                request[0] = EchoHandler.REPLY;
                if (!Arrays.equals(request, answer)) {
                    corrupted++;
                }
                if (count <= 10 || i % 10 == 0) {
                    out.append(String.format("  #%d %d bytes: %.2f ms (%s)%n", i, size, ms, s.suite().name()));
                }
            } catch (TimeoutException e) {
                reply.cancel(false);
                out.append("  #").append(i).append(" no reply within 5 s\n");
            }
            if (intervalMs > 0) {
                Thread.sleep(intervalMs);
            }
        }
        out.append(String.format("%d/%d replies, %d corrupted", rtts.size(), count, corrupted));
        if (!rtts.isEmpty()) {
            double[] sorted = sortedArray(rtts);
            out.append(String.format(", median %.2f ms", sorted[sorted.length / 2]));
        }
        return out.append('\n').toString();
    }

    /** channel:stats - per node: sessions and every counted rejection or retransmission. */
    public String stats() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, NodeChannel> e : channels.channels().entrySet()) {
            out.append(e.getKey()).append(": ").append(e.getValue().sessions().size()).append(" sessions, ")
                    .append(e.getValue().peerBook().size()).append(" peers remembered\n");
            e.getValue().counters().forEach((k, v) -> out.append(String.format("  %-22s %d%n", k, v)));
        }
        return out.length() == 0 ? "no node has a secure channel yet" : out.toString();
    }

    /** channel:transports - every transport of every node, with its counters. */
    public String transports() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-10s %-6s %-24s %10s %10s %12s %12s  %s%n", "NODE", "SCHEME", "ADDRESS", "DGRAM-IN",
                "DGRAM-OUT", "BYTES-IN", "BYTES-OUT", "REJECTED"));
        for (Map.Entry<String, List<Transport>> e : channels.transportsByNode().entrySet()) {
            for (Transport t : e.getValue()) {
                TransportStats s = t.stats();
                String address = t.localAddresses().stream().filter(a -> a.location().startsWith("127.0.0.1:")).findFirst()
                        .or(() -> t.localAddresses().stream().findFirst()).map(Object::toString).orElse("(unbound)");
                out.append(String.format("%-10s %-6s %-24s %10d %10d %12d %12d  %s%n", e.getKey(), t.scheme(), address,
                        s.datagramsIn(), s.datagramsOut(), s.bytesIn(), s.bytesOut(), s.rejected().isEmpty() ? "-" : s.rejected()));
            }
        }
        return out.toString();
    }

    /** channel:forget <node> <nodeId-hex> - drops what the node remembers of a peer, its downgrade pins included. */
    public String forget(String node, String peer) {
        NodeChannel channel = channel(node);
        boolean known = channel.peerBook().forget(NodeId.fromHex(peer));
        channels.savePeerBookLater(channel);
        return known ? "forgot " + peer : "node " + node + " has no record of " + peer;
    }

    private NodeChannel channel(String node) {
        NodeChannel c = channels.channels().get(node);
        if (c == null) {
            throw new IllegalArgumentException("no node named '" + node + "' has a secure channel; nodes: " + channels.channels().keySet());
        }
        return c;
    }

    private static SecureSession await(java.util.concurrent.CompletableFuture<SecureSession> f, int seconds) throws Exception {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ChannelException ce) {
                throw new IllegalStateException(ce.reason() + ": " + ce.getMessage());
            }
            throw e;
        }
    }

    private static String age(Instant since) {
        Duration d = Duration.between(since, Instant.now());
        return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m" : d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }

    /** The values as a sorted primitive array, for medians and percentiles. */
    private static double[] sortedArray(java.util.List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        java.util.Arrays.sort(out);
        return out;
    }
}
