package org.qdht.benchmarks.channel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.channel.SessionMessageHandler;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportStats;
import org.qdht.channel.internal.HandshakeBenchmark;
import org.qdht.channel.internal.HandshakeWire;
import org.qdht.channel.internal.HandshakeWire.PacketSizes;

/**
 * The secure channel's figures, in one run:
 *
 * <ol>
 * <li>bytes on the wire per handshake (XX and IK, both suites), from the encoded packets of real
 * in-memory handshakes, bare and with the UDP transport's framing and UDP/IPv4 headers;</li>
 * <li>handshakes per second on one core and the handshake's cost against the sum of its primitives,
 * both measured by JMH in the same run ({@link HandshakeBenchmark});</li>
 * <li>1 KiB message throughput through two real nodes in an embedded Felix, over UDP and QUIC on
 * loopback, against plain UDP sockets measured in the same run.</li>
 * </ol>
 *
 * Settings are system properties; {@code --help} lists them.
 */
public final class ChannelBenchmarks {
    static final double GOAL = 1.3;
    static final int APP_PROTOCOL = 0xF001;
    /** UDP transport framing: 9-byte fragment header, fragments of at most 1,200 payload bytes (its default mtu). */
    static final int UDP_FRAGMENT_HEADER = 9;
    static final int UDP_MTU = 1200;
    /** IPv4 (20) and UDP (8) headers per packet. */
    static final int UDP_IPV4_HEADERS = 28;
    static final String ALPHA = "alpha";
    static final String BETA = "beta";

    record Settings(List<String> parts, List<String> suites, int rounds, int forks, int warmupIterations, TimeValue warmupTime,
            int iterations, TimeValue time, VerboseMode verbosity, String[] jvmArgs, double seconds, double warmupSeconds,
            int messageSize, int window, int quicCap, List<String> modes, List<String> paths, String channelSuite,
            boolean reorderTap, Path repository, String out) {

        static Settings fromSystemProperties() {
            String jvmArgs = System.getProperty("bench.jvmArgs", "").trim();
            String repo = System.getProperty("bench.repo", System.getProperty("maven.repo.local",
                    Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
            return new Settings(
                    list("bench.parts", "wire,handshake,throughput"),
                    list("bench.suites", String.join(",", HandshakeBenchmark.SUITES)),
                    Integer.getInteger("bench.rounds", 2),
                    Integer.getInteger("bench.forks", 1),
                    Integer.getInteger("bench.warmup", 3),
                    TimeValue.fromString(System.getProperty("bench.warmupTime", "1s")),
                    Integer.getInteger("bench.iterations", 3),
                    TimeValue.fromString(System.getProperty("bench.time", "1s")),
                    VerboseMode.valueOf(System.getProperty("bench.verbose", "SILENT").toUpperCase(Locale.ROOT)),
                    jvmArgs.isEmpty() ? new String[0] : jvmArgs.split("\\s+"),
                    Double.parseDouble(System.getProperty("bench.seconds", "5")),
                    Double.parseDouble(System.getProperty("bench.warmupSeconds", "2")),
                    Integer.getInteger("bench.messageSize", 1024),
                    Integer.getInteger("bench.window", 256),
                    Integer.getInteger("bench.quicCap", 0),
                    list("bench.modes", "single,windowed,unpaced"),
                    list("bench.paths", "baseline,udp,quic"),
                    System.getProperty("bench.channelSuite", "xwing-mldsa65"),
                    Boolean.getBoolean("bench.reorderTap"),
                    Path.of(repo),
                    System.getProperty("bench.out"));
        }

        private static List<String> list(String property, String defaults) {
            String v = System.getProperty(property, defaults).trim();
            if (v.equals("all")) {
                v = defaults;
            }
            return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    private ChannelBenchmarks() {
    }

    static String usage() {
        return String.join("\n",
                "java [-Dname=value ...] -jar channel-benchmarks.jar",
                "  -Dbench.parts=wire,handshake,throughput   which parts to run (default all three)",
                "  -Dbench.suites=xwing-mldsa65,mlkem1024-slhdsa-sha2-128f   suites of the wire and handshake parts",
                "  -Dbench.rounds=2             handshake part: rounds of one JMH run per benchmark, alternating order",
                "  -Dbench.forks=1 -Dbench.warmup=3 -Dbench.warmupTime=1s -Dbench.iterations=3 -Dbench.time=1s   JMH, per run",
                "  -Dbench.verbose=SILENT       JMH output: SILENT, NORMAL, EXTRA",
                "  -Dbench.jvmArgs='...'        extra arguments for the forked JMH JVMs",
                "  -Dbench.seconds=5            throughput: measured sending time per path and mode",
                "  -Dbench.warmupSeconds=2      throughput: sending before each measurement",
                "  -Dbench.messageSize=1024     throughput: message size in bytes",
                "  -Dbench.modes=single,windowed,unpaced   throughput: one message in flight, a window, or unpaced; in this order",
                "  -Dbench.window=256           throughput: messages in flight at most when windowed",
                "  -Dbench.quicCap=0            throughput: in-flight cap of unpaced QUIC, 0 for none (Kwik queues datagrams without bound)",
                "  -Dbench.paths=baseline,udp,quic   throughput: plain UDP, channel over udp, channel over quic",
                "  -Dbench.channelSuite=xwing-mldsa65   throughput: the nodes' suite",
                "  -Dbench.reorderTap=false     throughput: also watch the receiver's datagrams (data packet counters: reordering,",
                "                               late arrivals beyond the replay window, duplicates); costs the receiver a copy per packet",
                "  -Dbench.repo=~/.m2/repository   where the bundles are read from (default: maven.repo.local or ~/.m2/repository)",
                "  -Dbench.out=FILE             also write the tables (Markdown) to FILE",
                "The JMH benchmarks can also be run directly: java -cp channel-benchmarks.jar org.openjdk.jmh.Main HandshakeBenchmark");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            System.out.println(usage());
            return;
        }
        Settings s = Settings.fromSystemProperties();
        for (String suite : s.suites()) {
            SuiteId.parse(suite);
        }
        StringBuilder report = new StringBuilder();
        emit(report, header(s));
        if (s.parts().contains("wire")) {
            emit(report, wire(s));
        }
        if (s.parts().contains("handshake")) {
            emit(report, handshakes(s));
        }
        if (s.parts().contains("throughput")) {
            emit(report, throughput(s));
        }
        if (s.out() != null) {
            Files.writeString(Path.of(s.out()), report, StandardCharsets.UTF_8);
        }
        // Kwik and the node bundles may leave non-daemon threads behind
        System.exit(0);
    }

    private static void emit(StringBuilder report, String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    static String header(Settings s) throws Exception {
        StringBuilder b = new StringBuilder("# qDHT secure channel benchmarks\n\n");
        b.append(String.format(Locale.ROOT, "- %s, JVM: %s %s (%s), %d CPUs, %s %s%n", Instant.now().toString().substring(0, 16) + "Z",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch")));
        b.append(String.format(Locale.ROOT, "- JMH: %d rounds of one run per benchmark, each %d fork(s), %d warmup x %s, %d "
                + "measurement x %s, 1 thread; average time, µs/op; figures are medians of all measurement iterations%n", s.rounds(),
                s.forks(), s.warmupIterations(), s.warmupTime(), s.iterations(), s.time()));
        b.append(String.format(Locale.ROOT, "- throughput: %d-byte messages, %.0f s warm-up + %.0f s measured per path and mode; "
                + "modes %s (window %d)%n", s.messageSize(), s.warmupSeconds(), s.seconds(), s.modes(), s.window()));
        EmbeddedFelix.Plan plan = new EmbeddedFelix.Plan(s.repository());
        b.append("- bundles from ").append(s.repository()).append(":");
        for (EmbeddedFelix.Artifact a : plan.core) {
            if (a.groupId().equals("org.qdht")) {
                b.append(' ').append(a.artifactId()).append(a.exists() ? " (" + Files.getLastModifiedTime(a.jar()).toString()
                        .substring(0, 16) + ")" : " (MISSING)");
            }
        }
        b.append('\n');
        b.append("- in-memory handshake: the org.qdht.channel classes shaded into this jar");
        try {
            Path self = Path.of(ChannelBenchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self)) {
                b.append(" (built ").append(Files.getLastModifiedTime(self).toString(), 0, 16).append(')');
            }
        } catch (Exception e) {
            // not from a jar: no date to show
        }
        b.append('\n');
        return b.toString();
    }

    // ---- 1. bytes on the wire ------------------------------------------------------------------

    static int udpPackets(int length) {
        return Math.max(1, (length + UDP_MTU - 1) / UDP_MTU);
    }

    /** Bytes on the wire of one channel packet sent by the UDP transport: payload, fragment headers, UDP/IPv4 headers. */
    static int onUdp(int length) {
        return length + udpPackets(length) * (UDP_FRAGMENT_HEADER + UDP_IPV4_HEADERS);
    }

    static String wire(Settings s) throws Exception {
        StringBuilder b = new StringBuilder("## Bytes on the wire per handshake\n\n");
        b.append("Encoded channel packets of a real in-memory handshake (both parties offer the ")
                .append(HandshakeWire.offeredSuites()).append(" suites of crypto-mlkem + crypto-sphincs). "
                + "\"over UDP\" adds the UDP transport's 9-byte fragment header per 1,200-byte fragment and 28 bytes of "
                + "UDP/IPv4 header per packet.\n\n");
        b.append("| suite | kind | init | response | finish | confirm | total | UDP packets | total over UDP/IPv4 |\n");
        b.append("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
        int dataOverhead = 0;
        for (String suite : s.suites()) {
            for (boolean ik : new boolean[] {false, true}) {
                PacketSizes p = HandshakeWire.measure(suite, ik);
                dataOverhead = p.dataOverhead();
                int[] packets = {p.init(), p.response(), p.finish(), p.confirm()};
                int udpPackets = 0;
                int udpBytes = 0;
                for (int n : packets) {
                    udpPackets += udpPackets(n);
                    udpBytes += onUdp(n);
                }
                b.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %,d | %d (%d+%d+%d+%d) | %,d |%n", suite,
                        ik ? "IK" : "XX", p.init(), p.response(), p.finish(), p.confirm(), p.total(), udpPackets,
                        udpPackets(p.init()), udpPackets(p.response()), udpPackets(p.finish()), udpPackets(p.confirm()), udpBytes));
            }
        }
        b.append(String.format(Locale.ROOT, "%nA data packet adds %d bytes to a message (13-byte header, 2-byte protocol, 16-byte tag): "
                + "a %,d-byte message is a %,d-byte channel packet, %,d bytes over UDP/IPv4 (plain UDP: %,d).%n", dataOverhead,
                s.messageSize(), s.messageSize() + dataOverhead, onUdp(s.messageSize() + dataOverhead), s.messageSize() + UDP_IPV4_HEADERS));
        return b.toString();
    }

    // ---- 2. handshake against its primitives ---------------------------------------------------

    /** JMH iteration scores of one benchmark over all rounds, in µs/op. */
    record Stats(double median, double min, double max, int iterations) {
        static Stats of(List<Double> scores) {
            double[] v = sortedArray(scores);
            int n = v.length;
            double median = n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            return new Stats(median, n == 0 ? Double.NaN : v[0], n == 0 ? Double.NaN : v[n - 1], n);
        }
    }

    static final List<String> METHODS = List.of("handshakeXX", "pairedXX", "kemKeygen", "kemEncaps", "kemDecaps",
            "kemKeygenDecaps", "sign", "verify", "pairedIK", "handshakeIK");

    /**
     * One JMH run of one benchmark on one suite; returns per measurement iteration its score (µs/op)
     * or, for the paired benchmarks, the handshake/primitives ratio and both times per pair in µs.
     */
    static List<double[]> runJmh(Settings s, String suite, String method) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(HandshakeBenchmark.class.getName() + "." + method) + "$")
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .threads(1)
                .forks(s.forks())
                .warmupIterations(s.warmupIterations())
                .warmupTime(s.warmupTime())
                .measurementIterations(s.iterations())
                .measurementTime(s.time())
                .param("suite", suite)
                .verbosity(s.verbosity())
                .shouldFailOnError(false);
        if (s.jvmArgs().length > 0) {
            options.jvmArgsAppend(s.jvmArgs());
        }
        List<double[]> scores = new ArrayList<>();
        for (RunResult r : new Runner(options.build()).run()) {
            for (BenchmarkResult br : r.getBenchmarkResults()) {
                for (IterationResult i : br.getIterationResults()) {
                    if (method.startsWith("paired")) {
                        double hs = i.getSecondaryResults().get("handshakeNanos").getScore();
                        double prim = i.getSecondaryResults().get("primitivesNanos").getScore();
                        double pairs = i.getSecondaryResults().get("pairs").getScore();
                        scores.add(new double[] {hs / prim, hs / pairs / 1000, prim / pairs / 1000});
                    } else {
                        scores.add(new double[] {i.getPrimaryResult().getScore()});
                    }
                }
            }
        }
        return scores;
    }

    static String handshakes(Settings s) throws Exception {
        Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
        for (String suite : s.suites()) {
            Map<String, List<Double>> m = new LinkedHashMap<>();
            for (String x : METHODS) {
                if (x.startsWith("paired")) {
                    m.put(x, new ArrayList<>());
                    m.put(x + ".handshake", new ArrayList<>());
                    m.put(x + ".primitives", new ArrayList<>());
                } else {
                    m.put(x, new ArrayList<>());
                }
            }
            scores.put(suite, m);
        }
        long start = System.nanoTime();
        int total = s.rounds() * s.suites().size() * METHODS.size();
        int done = 0;
        for (int round = 0; round < s.rounds(); round++) {
            // every other round runs the benchmarks in reverse order, so a drift of the machine's load
            // weighs on all of them alike
            List<String> order = new ArrayList<>(METHODS);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String suite : s.suites()) {
                for (String method : order) {
                    List<double[]> r = runJmh(s, suite, method);
                    Map<String, List<Double>> m = scores.get(suite);
                    for (double[] v : r) {
                        m.get(method).add(v[0]);
                        if (v.length == 3) {
                            m.get(method + ".handshake").add(v[1]);
                            m.get(method + ".primitives").add(v[2]);
                        }
                    }
                    done++;
                    Stats st = Stats.of(r.stream().map(v -> v[0]).toList());
                    System.out.printf(Locale.ROOT, "[%2d/%d %4.1f min] round %d %-28s %-16s %s%n", done, total,
                            (System.nanoTime() - start) / 60e9, round + 1, suite, method,
                            method.startsWith("paired") ? "ratio " + ratio(st.median()) : number(st.median()) + " µs");
                }
            }
        }
        Map<String, Map<String, Stats>> bySuite = new LinkedHashMap<>();
        scores.forEach((suite, m) -> {
            Map<String, Stats> st = new LinkedHashMap<>();
            m.forEach((method, list) -> st.put(method, list.isEmpty() ? null : Stats.of(list)));
            bySuite.put(suite, st);
        });

        StringBuilder b = new StringBuilder("\n## Handshake against its primitives (JMH, one thread)\n\n");
        b.append(String.format(Locale.ROOT, "%d rounds; in each, one JMH run per benchmark (%d warmup x %s, %d x %s), every "
                + "other round in reverse order; figures are medians of all %d measurement iterations.%n%n", s.rounds(),
                s.warmupIterations(), s.warmupTime(), s.iterations(), s.time(), s.rounds() * s.iterations() * s.forks()));
        b.append("Primitives through the suite API, µs per operation:\n\n| operation |");
        for (String suite : bySuite.keySet()) {
            b.append(' ').append(suite).append(" |");
        }
        b.append("\n|---|");
        bySuite.keySet().forEach(x -> b.append("--:|"));
        b.append('\n');
        String[][] rows = {{"kemKeygen", "KEM keygen"}, {"kemEncaps", "KEM encaps"}, {"kemDecaps", "KEM decaps (key pair used before)"},
                {"kemKeygenDecaps", "KEM keygen + first decaps of the new key pair"}, {"sign", "sign (57-byte message)"},
                {"verify", "verify"}};
        for (String[] row : rows) {
            b.append("| ").append(row[1]).append(" |");
            for (Map<String, Stats> r : bySuite.values()) {
                b.append(' ').append(us(r.get(row[0]))).append(" |");
            }
            b.append('\n');
        }
        b.append("| first decaps of a new key pair (the difference) |");
        for (Map<String, Stats> r : bySuite.values()) {
            b.append(' ').append(number(firstDecapsValue(r))).append(" |");
        }
        b.append("\n| sum XX: keygen + encaps + decaps + 2 sign + 2 verify |");
        for (Map<String, Stats> r : bySuite.values()) {
            b.append(' ').append(number(sum(r, false, false))).append(" |");
        }
        b.append("\n| the same calls timed beside each handshake (pairedXX) |");
        for (Map<String, Stats> r : bySuite.values()) {
            b.append(' ').append(us(r.get("pairedXX.primitives"))).append(" |");
        }
        b.append("\n| sum IK: sum XX + encaps + decaps |");
        for (Map<String, Stats> r : bySuite.values()) {
            b.append(' ').append(number(sum(r, true, false))).append(" |");
        }
        b.append("\n| the same calls timed beside each handshake (pairedIK) |");
        for (Map<String, Stats> r : bySuite.values()) {
            b.append(' ').append(us(r.get("pairedIK.primitives"))).append(" |");
        }
        b.append("\n\n");

        b.append("Handshakes, both peers' work on one thread, in memory (no I/O). ratio = handshake / sum of its primitives, goal "
                + "at most ").append(GOAL).append("x. \"paired\": each invocation of pairedXX/IK times a handshake and the primitive "
                + "calls back to back; the ratio is the median over the iterations of (handshake time / primitives time). "
                + "\"separate\": the handshake benchmark's median over the sum of the primitives' medians, each measured in runs of "
                + "its own.\n\n");
        b.append("| suite | kind | handshake µs | handshakes/s (one core) | ratio, paired | ratio, separate | separate, first-use decaps | "
                + "paired: handshake µs / primitives µs |\n");
        b.append("|---|---|--:|--:|--:|--:|--:|--:|\n");
        List<String> verdicts = new ArrayList<>();
        for (Map.Entry<String, Map<String, Stats>> e : bySuite.entrySet()) {
            Map<String, Stats> r = e.getValue();
            for (boolean ik : new boolean[] {false, true}) {
                String kind = ik ? "IK" : "XX";
                Stats hs = r.get("handshake" + kind);
                double paired = median(r.get("paired" + kind));
                double ratio = median(hs) / sum(r, ik, false);
                double ratioFirstUse = median(hs) / sum(r, ik, true);
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | **%s** | %s | %s | %s / %s |%n", e.getKey(), kind, us(hs),
                        perSecond(hs), ratio(paired), ratio(ratio), ratio(ratioFirstUse), us(r.get("paired" + kind + ".handshake")),
                        us(r.get("paired" + kind + ".primitives"))));
                verdicts.add(String.format(Locale.ROOT, "%s %s %s", e.getKey(), kind,
                        Double.isNaN(paired) ? "not measured" : paired <= GOAL ? "within the goal" : "OVER the goal"));
            }
        }
        b.append("\n\"first-use decaps\": the sum counts the initiator's decapsulation as a new key pair's first one "
                + "(kemKeygenDecaps - kemKeygen), which is what the fresh ephemeral key of a handshake costs.\n");
        b.append("Verdict (paired ratio against ").append(GOAL).append("x): ").append(String.join("; ", verdicts)).append(".\n");
        return b.toString();
    }

    static double median(Stats s) {
        return s == null ? Double.NaN : s.median();
    }

    static double firstDecapsValue(Map<String, Stats> r) {
        return median(r.get("kemKeygenDecaps")) - median(r.get("kemKeygen"));
    }

    static double sum(Map<String, Stats> r, boolean ik, boolean firstUseDecaps) {
        double keygen = median(r.get("kemKeygen"));
        double encaps = median(r.get("kemEncaps"));
        double decaps = median(r.get("kemDecaps"));
        double ephemeralDecaps = firstUseDecaps ? firstDecapsValue(r) : decaps;
        double sum = keygen + encaps + ephemeralDecaps + 2 * median(r.get("sign")) + 2 * median(r.get("verify"));
        return ik ? sum + encaps + decaps : sum;
    }

    // ---- 3. throughput ----------------------------------------------------------------------

    /** The receiving node's handler: counts messages of the benchmark protocol, and duplicates by sequence number. */
    static final class Counting implements SessionMessageHandler {
        final Throughput.Arrivals arrivals = new Throughput.Arrivals();

        @Override
        public void onMessage(SecureSession session, int protocol, byte[] message) {
            arrivals.arrived(message, 0, message.length);
        }
    }

    /** Messages over a secure session from alpha to beta; counters of both nodes' channels and transports. */
    static final class ChannelTarget implements Throughput.Target {
        final String name;
        final SecureSession session;
        final Counting counting;
        final SecureChannels sender;
        final SecureChannels receiver;
        final Transport senderTransport;
        final Transport receiverTransport;

        final ReorderTap tap;

        ChannelTarget(String name, SecureSession session, Counting counting, SecureChannels sender, SecureChannels receiver,
                Transport senderTransport, Transport receiverTransport, ReorderTap tap) {
            this.tap = tap;
            this.name = name;
            this.session = session;
            this.counting = counting;
            this.sender = sender;
            this.receiver = receiver;
            this.senderTransport = senderTransport;
            this.receiverTransport = receiverTransport;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void send(byte[] message) throws Exception {
            session.send(APP_PROTOCOL, message);
        }

        @Override
        public long received() {
            return counting.arrivals.messages();
        }

        @Override
        public long duplicates() {
            return counting.arrivals.duplicates();
        }



        @Override
        public Map<String, Long> counters() {
            Map<String, Long> c = new LinkedHashMap<>();
            sender.counters().forEach((k, v) -> c.put("sender channel " + k, v));
            receiver.counters().forEach((k, v) -> c.put("receiver channel " + k, v));
            senderTransport.stats().rejected().forEach((k, v) -> c.put("sender " + senderTransport.scheme() + " " + k, v));
            receiverTransport.stats().rejected().forEach((k, v) -> c.put("receiver " + receiverTransport.scheme() + " " + k, v));
            if (tap != null) {
                tap.counters().forEach((k, v) -> c.put("tap: " + k, v));
            }
            return c;
        }
    }

    static final class Nodes {
        final EmbeddedFelix felix;

        Nodes(EmbeddedFelix felix) {
            this.felix = felix;
        }

        <T> Optional<T> one(Class<T> type, String node) throws Exception {
            List<T> all = felix.services(type, "(qdht.node.name=" + node + ")");
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
        }

        Optional<Transport> transport(String node, String scheme) throws Exception {
            for (Transport t : felix.services(Transport.class, "(qdht.node.name=" + node + ")")) {
                if (t.scheme().equals(scheme)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }

        Optional<PeerAddress> loopback(Transport t) {
            return t.localAddresses().stream().filter(a -> a.location().startsWith("127.0.0.1:")).findFirst();
        }
    }

    static String throughput(Settings s) throws Exception {
        StringBuilder notes = new StringBuilder();
        List<Throughput.Run> runs = new ArrayList<>();
        EmbeddedFelix.Plan plan = new EmbeddedFelix.Plan(s.repository());
        boolean wantChannel = s.paths().contains("udp") || s.paths().contains("quic");
        List<EmbeddedFelix.Artifact> missing = plan.missingCore();
        boolean quic = s.paths().contains("quic");
        if (quic && !plan.missingQuic().isEmpty()) {
            notes.append("- QUIC skipped: not in ").append(s.repository()).append(": ")
                    .append(plan.missingQuic().stream().map(EmbeddedFelix.Artifact::coordinates).toList()).append('\n');
            quic = false;
        }
        EmbeddedFelix felix = null;
        String channelCounters = "";
        Map<String, Throughput.Target> targets = new LinkedHashMap<>();
        try {
            if (s.paths().contains("baseline")) {
                Throughput.UdpBaseline baseline = new Throughput.UdpBaseline(s.messageSize(), 4 * 1024 * 1024);
                notes.append(String.format(Locale.ROOT, "- plain UDP baseline: receive buffer %,d bytes granted%n",
                        baseline.grantedReceiveBuffer()));
                targets.put("baseline", baseline);
            }
            if (wantChannel && !missing.isEmpty()) {
                notes.append("- channel figures skipped: bundles missing from ").append(s.repository()).append(": ")
                        .append(missing.stream().map(EmbeddedFelix.Artifact::coordinates).toList())
                        .append(" (mvn -B install -DskipTests first)\n");
            } else if (wantChannel) {
                List<EmbeddedFelix.Artifact> bundles = new ArrayList<>(plan.core);
                if (quic) {
                    bundles.addAll(plan.quic);
                }
                long t0 = System.nanoTime();
                felix = EmbeddedFelix.start(plan, bundles);
                notes.append(String.format(Locale.ROOT, "- Felix started with %d bundles in %.1f s; the API is shared through the "
                        + "system bundle:%n", bundles.size(), (System.nanoTime() - t0) / 1e9));
                for (String line : felix.checkApiWiring()) {
                    notes.append("  - ").append(line).append('\n');
                }
                try {
                    setUpNodes(s, felix, quic, targets, notes);
                } catch (Exception e) {
                    notes.append("- channel figures skipped: the nodes did not come up: ").append(e).append('\n');
                    e.printStackTrace();
                }
            }
            for (String mode : s.modes()) {
                for (Map.Entry<String, Throughput.Target> t : targets.entrySet()) {
                    int window;
                    String label;
                    switch (mode) {
                        case "single" -> {
                            window = 1;
                            label = "single (1 in flight)";
                        }
                        case "windowed" -> {
                            window = s.window();
                            label = "windowed (" + s.window() + ")";
                        }
                        case "unpaced" -> {
                            window = t.getKey().equals("quic") ? s.quicCap() : 0;
                            label = window > 0 ? "unpaced (cap " + window + ")" : "unpaced";
                        }
                        default -> throw new IllegalArgumentException("bench.modes: unknown mode " + mode + " (single, windowed, unpaced)");
                    }
                    System.out.printf(Locale.ROOT, "throughput: %s, %s ...%n", t.getValue().name(), label);
                    Throughput.Run r = Throughput.measure(t.getValue(), label, window, s.messageSize(), s.warmupSeconds(), s.seconds());
                    runs.add(r);
                    System.out.printf(Locale.ROOT, "  sent %,.0f/s, received %,.0f/s (%.1f MB/s), loss %s%n", r.sentPerSecond(),
                            r.messagesPerSecond(), r.megabytesPerSecond(), percent(r.loss()));
                }
            }
            for (Throughput.Target t : targets.values()) {
                if (t instanceof ChannelTarget c) {
                    channelCounters = String.format(Locale.ROOT, "- channel counters at the end: %s %s, %s %s%n", ALPHA,
                            new java.util.TreeMap<>(c.sender.counters()), BETA, new java.util.TreeMap<>(c.receiver.counters()));
                }
            }
        } finally {
            for (Throughput.Target t : targets.values()) {
                t.close();
            }
            if (felix != null) {
                try {
                    // the nodes' shutdown messages are not figures
                    felix.configure("org.qdht.log.console", Map.of("level", "ERROR", "quiet", Boolean.TRUE));
                    Thread.sleep(200);
                } catch (Exception e) {
                    // the log stays as it was
                }
                felix.close();
            }
        }
        notes.append(channelCounters);
        return throughputTable(s, runs, notes);
    }

    private static void setUpNodes(Settings s, EmbeddedFelix felix, boolean quic, Map<String, Throughput.Target> targets,
            StringBuilder notes) throws Exception {
        felix.configure("org.qdht.log.console", Map.of("level", "WARN"));
        Nodes nodes = new Nodes(felix);
        long t0 = System.nanoTime();
        for (String name : List.of(ALPHA, BETA)) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", name);
            p.put("listenPort", 0);
            p.put("suite", s.channelSuite());
            p.put("puzzleDifficulty", 16);
            felix.createFactoryConfiguration("org.qdht.node", p);
        }
        for (String name : List.of(ALPHA, BETA)) {
            try {
                EmbeddedFelix.await(() -> nodes.one(SecureChannels.class, name).isPresent() && nodes.one(NodeIdentity.class, name).isPresent()
                        && nodes.transport(name, "udp").isPresent() ? Optional.of(Boolean.TRUE) : Optional.empty(),
                        "node " + name + " with identity, channel and udp transport", 60_000);
                if (quic) {
                    EmbeddedFelix.await(() -> nodes.transport(name, "quic"), "the quic transport of node " + name, 30_000);
                }
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "; inactive bundles: " + felix.inactiveBundles(), e);
            }
        }
        notes.append(String.format(Locale.ROOT, "- nodes %s and %s (suite %s, puzzle 16 bits, listen port 0) ready in %.1f s%n",
                ALPHA, BETA, s.channelSuite(), (System.nanoTime() - t0) / 1e9));

        Map<String, ReorderTap> taps = new LinkedHashMap<>();
        if (s.reorderTap()) {
            for (String scheme : List.of("udp", "quic")) {
                ReorderTap tap = new ReorderTap();
                felix.register(org.qdht.api.transport.DatagramHandler.class, tap, Map.of(
                        org.qdht.api.transport.DatagramHandler.NODE_PROPERTY, BETA,
                        org.qdht.api.transport.DatagramHandler.SCHEME_PROPERTY, scheme));
                taps.put(scheme, tap);
            }
        }
        Counting counting = new Counting();
        felix.register(SessionMessageHandler.class, counting, Map.of(SessionMessageHandler.PROTOCOL_PROPERTY, APP_PROTOCOL,
                SessionMessageHandler.NODE_PROPERTY, BETA));
        SecureChannels alpha = nodes.one(SecureChannels.class, ALPHA).orElseThrow();
        SecureChannels beta = nodes.one(SecureChannels.class, BETA).orElseThrow();
        NodeId betaId = nodes.one(NodeIdentity.class, BETA).orElseThrow().nodeId();
        List<String> schemes = new ArrayList<>();
        if (s.paths().contains("udp")) {
            schemes.add("udp");
        }
        if (quic) {
            schemes.add("quic");
        }
        for (String scheme : schemes) {
            Transport from = nodes.transport(ALPHA, scheme).orElseThrow();
            Transport to = nodes.transport(BETA, scheme).orElseThrow();
            PeerAddress address = nodes.loopback(to).orElseThrow(() -> new IllegalStateException(
                    "node " + BETA + " has no 127.0.0.1 " + scheme + " address: " + to.localAddresses()));
            TransportStats fromBefore = from.stats();
            TransportStats toBefore = to.stats();
            Map<String, Long> countersBefore = alpha.counters();
            long c0 = System.nanoTime();
            SecureSession session;
            try {
                session = alpha.connect(address, Optional.of(betaId)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                notes.append("- channel over ").append(scheme).append(" skipped: the handshake with ").append(address)
                        .append(" failed: ").append(e.getCause() != null ? e.getCause() : e).append('\n');
                continue;
            }
            double connectMillis = (System.nanoTime() - c0) / 1e6;
            // beta's session is open once it sent its confirm; let the counters settle
            Thread.sleep(300);
            TransportStats fromAfter = from.stats();
            TransportStats toAfter = to.stats();
            Map<String, Long> kinds = Throughput.difference(countersBefore, alpha.counters());
            String kind = kinds.getOrDefault("handshakes-ik", 0L) > 0 ? "IK" : kinds.getOrDefault("handshakes-xx", 0L) > 0 ? "XX" : "?";
            notes.append(String.format(Locale.ROOT, "- channel over %s: connect() to %s took %.0f ms (one sample; an %s handshake, "
                    + "its work on the channel's 2 handshake threads); payload bytes the transports counted meanwhile: %s sent %,d "
                    + "(%d datagram(s)), %s sent %,d (%d datagram(s))%s%n", scheme, address, connectMillis, kind, ALPHA,
                    fromAfter.bytesOut() - fromBefore.bytesOut(), fromAfter.datagramsOut() - fromBefore.datagramsOut(), BETA,
                    toAfter.bytesOut() - toBefore.bytesOut(), toAfter.datagramsOut() - toBefore.datagramsOut(),
                    scheme.equals("quic") ? "; packets above QUIC's 1,200-byte datagrams go over streams, as a 4-byte length and the "
                            + "packet" : ""));
            targets.put(scheme, new ChannelTarget("channel over " + scheme + " (" + s.channelSuite() + ")", session, counting, alpha,
                    beta, from, to, taps.get(scheme)));
        }
    }

    static String throughputTable(Settings s, List<Throughput.Run> runs, StringBuilder notes) {
        StringBuilder b = new StringBuilder("\n## Message throughput on loopback (").append(s.messageSize())
                .append("-byte messages, one sending thread)\n\n");
        b.append("| path | sending | sent msg/s | received msg/s | received MB/s | loss | vs plain UDP (msg/s) | kernel rcvbuf drops | "
                + "drops and refusals counted by the nodes |\n");
        b.append("|---|---|--:|--:|--:|--:|--:|--:|---|\n");
        Map<String, Throughput.Run> baselineByMode = new LinkedHashMap<>();
        for (Throughput.Run r : runs) {
            if (r.target().startsWith("plain UDP")) {
                baselineByMode.put(r.mode().replaceAll(" \\(.*", ""), r);
            }
        }
        for (Throughput.Run r : runs) {
            Throughput.Run base = baselineByMode.get(r.mode().replaceAll(" \\(.*", ""));
            String vs = r.target().startsWith("plain UDP") || base == null ? "—"
                    : String.format(Locale.ROOT, "%.2fx", r.messagesPerSecond() / base.messagesPerSecond());
            List<String> counted = new ArrayList<>();
            r.counters().forEach((k, v) -> counted.add(k + " " + String.format(Locale.ROOT, "%,d", v)));
            if (r.failedSends() > 0) {
                counted.add(String.format(Locale.ROOT, "%,d failed sends (%s)", r.failedSends(), r.firstFailure()));
            }
            if (r.duplicatesDelivered() > 0) {
                counted.add(String.format(Locale.ROOT, "%,d DUPLICATES delivered to the handler", r.duplicatesDelivered()));
            }
            if (r.stalls() > 0) {
                counted.add(r.stalls() + " window stalls (in-flight written off)");
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.1f | %s | %s | %s | %s |%n", r.target(), r.mode(),
                    r.sentPerSecond(), r.messagesPerSecond(), r.megabytesPerSecond(), percent(r.loss()), vs,
                    r.kernelReceiveBufferDrops() < 0 ? "?" : String.format(Locale.ROOT, "%,d", r.kernelReceiveBufferDrops()),
                    counted.isEmpty() ? "" : String.join(", ", counted)));
        }
        List<String> latencies = new ArrayList<>();
        for (Throughput.Run r : runs) {
            if (r.mode().startsWith("single") && r.messagesPerSecond() > 0) {
                latencies.add(String.format(Locale.ROOT, "%s %.1f µs", r.target(), 1e6 / r.messagesPerSecond()));
            }
        }
        b.append("\nMB/s = 10^6 bytes of message payload per second received; loss = 1 - received/sent, counted after the "
                + "receiver drained. \"kernel rcvbuf drops\" is Linux's Udp RcvbufErrors over the run (whole machine). "
                + "single: the next message leaves when the last one reached the handler, so 1/rate is the time from send() "
                + "to the receiving handler");
        b.append(latencies.isEmpty() ? ".\n\n" : ": " + String.join(", ", latencies) + ".\n\n");
        b.append(notes);
        return b.toString();
    }

    // ---- formatting -------------------------------------------------------------------------

    static String us(Stats s) {
        return s == null ? "—" : number(s.median());
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }

    static String perSecond(Stats s) {
        if (s == null || Double.isNaN(s.median())) {
            return "—";
        }
        double v = 1e6 / s.median();
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.1f", v);
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%.2fx", r);
    }

    static String percent(double p) {
        return Double.isNaN(p) ? "—" : String.format(Locale.ROOT, "%.2f%%", p * 100);
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
