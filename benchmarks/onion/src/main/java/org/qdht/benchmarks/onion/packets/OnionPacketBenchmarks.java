package org.qdht.benchmarks.onion.packets;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.qdht.api.NodeId;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.onion.core.PacketFormat;

/**
 * Part 1 of the onion benchmark: runs {@link PacketBenchmark} for each suite and operation, one JMH
 * run each with a progress line, then prints the sizes, the time table and the comparison with the
 * KEMSphinx figure, and writes them to {@code bench.out} (Markdown) and {@code bench.csv}.
 * Settings are system properties; {@code --help} lists them.
 */
public final class OnionPacketBenchmarks {
    /**
     * Katzenpost's KEMSphinx, ML-KEM-768: microseconds per unwrap, in Go on the hardware of that
     * measurement (the figure the onion issue quotes). Only ratios carry over to this machine.
     */
    static final double KEMSPHINX_MLKEM768_UNWRAP_US = 54.9;
    private static final String CLASS = PacketBenchmark.class.getName();

    /** Iteration scores of one benchmark, in µs/op. */
    record Stats(double median, double mean, double error, double min, double max, int iterations) {
        static Stats of(RunResult r) {
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) {
                    scores.add(i.getPrimaryResult().getScore());
                }
            }
            double[] s = new double[scores.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = scores.get(i);
            }
            Arrays.sort(s);
            int n = s.length;
            double median = n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            return new Stats(median, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    n == 0 ? Double.NaN : s[0], n == 0 ? Double.NaN : s[n - 1], n);
        }
    }

    public record Settings(List<String> suites, List<String> methods, int forks, int warmupIterations, TimeValue warmupTime,
            int iterations, TimeValue time, VerboseMode verbosity, String[] jvmArgs, String out, String csv) {

        public static Settings fromSystemProperties() {
            String suites = System.getProperty("bench.suites", "all");
            String ops = System.getProperty("bench.ops", "all");
            String jvmArgs = System.getProperty("bench.jvmArgs", "").trim();
            return new Settings(
                    suites.equals("all") ? PacketFixture.SUITES : split(suites).stream().map(OnionPacketBenchmarks::checkSuite).toList(),
                    ops.equals("all") ? PacketBenchmark.METHODS : split(ops).stream().map(OnionPacketBenchmarks::checkMethod).toList(),
                    Integer.getInteger("bench.forks", 1),
                    Integer.getInteger("bench.warmup", 3),
                    TimeValue.fromString(System.getProperty("bench.warmupTime", "1s")),
                    Integer.getInteger("bench.iterations", 5),
                    TimeValue.fromString(System.getProperty("bench.time", "1s")),
                    VerboseMode.valueOf(System.getProperty("bench.verbose", "SILENT").toUpperCase(Locale.ROOT)),
                    jvmArgs.isEmpty() ? new String[0] : jvmArgs.split("\\s+"),
                    System.getProperty("bench.out"),
                    System.getProperty("bench.csv"));
        }
    }

    private OnionPacketBenchmarks() {
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static String checkSuite(String name) {
        if (!PacketFixture.SUITES.contains(name)) {
            throw new IllegalArgumentException("unknown suite '" + name + "'; suites are " + PacketFixture.SUITES);
        }
        return name;
    }

    static String checkMethod(String name) {
        if (!PacketBenchmark.METHODS.contains(name)) {
            throw new IllegalArgumentException("unknown operation '" + name + "'; operations are " + PacketBenchmark.METHODS);
        }
        return name;
    }

    static String usage() {
        return String.join("\n",
                "java [-Dname=value ...] -jar onion-benchmarks.jar",
                "  -Dbench.suites=all|a,b       " + String.join(",", PacketFixture.SUITES),
                "  -Dbench.ops=all|a,b          " + String.join(",", PacketBenchmark.METHODS),
                "  -Dbench.forks=1 -Dbench.warmup=3 -Dbench.warmupTime=1s -Dbench.iterations=5 -Dbench.time=1s",
                "  -Dbench.verbose=SILENT       JMH output: SILENT, NORMAL, EXTRA",
                "  -Dbench.jvmArgs='...'        extra arguments for the forked JVMs",
                "  -Dbench.out=FILE             also write the tables (Markdown) to FILE",
                "  -Dbench.csv=FILE             also write every figure (median, mean, error, min, max) as CSV",
                "The JMH benchmarks can also be run directly: java -cp onion-benchmarks.jar org.openjdk.jmh.Main PacketBenchmark");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            System.out.println(usage());
            return;
        }
        int failed = run(Settings.fromSystemProperties());
        if (failed > 0) {
            System.err.println(failed + " benchmark(s) failed");
            System.exit(1);
        }
    }

    /** Runs every selected benchmark, prints and writes the tables; returns how many benchmarks failed. */
    public static int run(Settings s) throws Exception {
        StringBuilder report = new StringBuilder();
        String header = header(s);
        System.out.println(header);
        report.append(header).append('\n');
        String sizes = sizes(s.suites());
        System.out.println(sizes);
        report.append(sizes).append('\n');

        int total = s.suites().size() * s.methods().size();
        double perRun = s.forks() * (s.warmupIterations() * seconds(s.warmupTime()) + s.iterations() * seconds(s.time())) + 2;
        System.out.printf(Locale.ROOT, "%d runs, about %.1f min%n%n", total, total * perRun / 60);
        Map<String, Stats> results = new HashMap<>();
        long start = System.nanoTime();
        int done = 0;
        for (String suite : s.suites()) {
            for (String method : s.methods()) {
                done++;
                Stats stats = run(s, suite, method);
                if (stats != null) {
                    results.put(key(suite, method), stats);
                }
                System.out.printf(Locale.ROOT, "[%2d/%d %4.1f min] %-18s %-14s %s µs%n", done, total, (System.nanoTime() - start) / 60e9,
                        suite, method, stats == null ? "FAILED (rerun with -Dbench.verbose=NORMAL)" : us(stats.median()));
            }
        }
        System.out.println();
        String table = table(s, results);
        System.out.println(table);
        report.append(table);
        if (s.out() != null) {
            write(Path.of(s.out()), report.toString());
        }
        if (s.csv() != null) {
            writeCsv(Path.of(s.csv()), s, results);
        }
        return total - results.size();
    }

    private static double seconds(TimeValue t) {
        return t.convertTo(TimeUnit.MILLISECONDS) / 1000.0;
    }

    static String key(String suite, String method) {
        return suite + "/" + method;
    }

    static Stats run(Settings s, String suite, String method) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(CLASS + "." + method) + "$")
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MICROSECONDS)
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
        for (RunResult r : new Runner(options.build()).run()) {
            return Stats.of(r);
        }
        return null;
    }

    static String header(Settings s) {
        StringBuilder b = new StringBuilder();
        b.append("## Part 1: onion packet processing (JMH)\n\n");
        b.append(String.format(Locale.ROOT, "- JVM: %s %s (%s), %d CPUs, %s %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch")));
        b.append(String.format(Locale.ROOT, "- JMH: %d fork(s), %d warmup x %s, %d measurement x %s; average time, µs/op, "
                + "single thread; table figures are the median of the measurement iterations%n", s.forks(), s.warmupIterations(),
                s.warmupTime(), s.iterations(), s.time()));
        b.append("- Packet format: `PacketFormat.defaults` (routes of up to ").append(PacketFormat.DEFAULT_MAX_HOPS)
                .append(" hops, ").append(String.format(Locale.ROOT, "%,d", PacketFormat.DEFAULT_PAYLOAD_SIZE))
                .append("-byte payload), as the onion bundle uses it; requests of 3 hops, reply blocks over 2 relays\n");
        return b.toString();
    }

    /** Sizes per suite, from the packet format itself. */
    static String sizes(List<String> suites) throws Exception {
        StringBuilder b = new StringBuilder();
        b.append("### Sizes (bytes)\n\n");
        b.append("| suite | KEM ct | routing block | header | payload | **packet** (any route of 1-5 hops, so also 3) | "
                + "packet of a format for 3 hops at most | reply block (SURB) | max message | 6 packets per anonymous get |\n");
        b.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (String name : suites) {
            PacketFixture f = new PacketFixture(name);
            PacketFormat p = f.format;
            CryptoSuite suite = f.suite;
            PacketFormat three = new PacketFormat(suite, 3, PacketFormat.DEFAULT_PAYLOAD_SIZE);
            if (f.request.length != p.packetSize()) {
                throw new IllegalStateException(name + ": a 3-hop packet has " + f.request.length + " bytes, the format says " + p.packetSize());
            }
            b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | **%,d** | %,d | %,d | %,d | %,d |%n", name,
                    suite.kem().ciphertextSize(), p.blockSize(), p.headerSize(), p.payloadSize(), f.request.length, three.packetSize(),
                    p.surbSize(), p.maxMessageSize(), 6L * p.packetSize()));
        }
        b.append(String.format(Locale.ROOT, "%nThe 3-hop get request the onion client sends (an `OnionMessages.Get` with its reply block) "
                + "is a %,d-byte message in the %,d-byte payload; a packet's size does not depend on the route length. "
                + "A routing block is 161 + KEM ct bytes (command, NodeId of %d, address field of %d, key id, ciphertext, MAC).%n",
                new PacketFixture(suites.get(0)).requestMessage.length, PacketFormat.DEFAULT_PAYLOAD_SIZE, NodeId.LENGTH,
                PacketFormat.ADDRESS_FIELD));
        return b.toString();
    }

    static String table(Settings s, Map<String, Stats> r) {
        List<String> suites = s.suites();
        StringBuilder b = new StringBuilder();
        b.append("### Time per operation (µs, median)\n\n");
        b.append("| operation |");
        suites.forEach(x -> b.append(' ').append(x).append(" |"));
        b.append("\n|---|");
        suites.forEach(x -> b.append("--:|"));
        b.append('\n');
        row(b, suites, "unwrap, relay hop (hop 1 of 3)", x -> get(r, x, "unwrapRelay"));
        row(b, suites, "unwrap, exit hop (hop 3 of 3, delivers)", x -> get(r, x, "unwrapDeliver"));
        row(b, suites, "raw KEM decapsulation (`suite.kem().decapsulate`)", x -> get(r, x, "kemDecaps"));
        rowText(b, suites, "unwrap / raw decapsulation", x -> ratio(get(r, x, "unwrapRelay"), get(r, x, "kemDecaps")));
        row(b, suites, "unwrap - decapsulation (KDF, MAC, header stream, LIONESS over 16 KiB)",
                x -> get(r, x, "unwrapRelay") - get(r, x, "kemDecaps"));
        row(b, suites, "`forward`, 3 hops (client)", x -> get(r, x, "forward3"));
        row(b, suites, "`newSurb`, 2 relays (client)", x -> get(r, x, "newSurb2"));
        row(b, suites, "`reply` (exit)", x -> get(r, x, "reply"));
        row(b, suites, "`SurbSecrets.open` (client)", x -> get(r, x, "surbOpen"));
        row(b, suites, "**packet crypto per anonymous get, all parties**", x -> perAnonymousGet(r, x));
        b.append("\nPacket crypto per anonymous get = forward + newSurb + 4 relay unwraps (2 on the way out, 2 on the way back) "
                + "+ 1 exit unwrap + reply + open: the onion layer's CPU on every machine together, without the channel, "
                + "the exit's DHT get or the record checks. `open` includes the first decapsulation with the reply block's fresh "
                + "one-time key (for X-Wing, the expansion of its 32-byte seed), which the relays' long-lived keys do not pay.\n\n");

        b.append("### Comparison with KEMSphinx (Katzenpost)\n\n");
        b.append("| | unwrap per hop (µs) | unwrap / raw decapsulation of the same run |\n|---|--:|--:|\n");
        b.append(String.format(Locale.ROOT, "| KEMSphinx, ML-KEM-768 (Go, other hardware, quoted in the issue) | %s | not known |%n",
                us(KEMSPHINX_MLKEM768_UNWRAP_US)));
        for (String x : suites) {
            b.append(String.format(Locale.ROOT, "| qDHT %s (Java %d, this machine) | %s | %s |%n", x, Runtime.version().feature(), us(get(r, x, "unwrapRelay")),
                    ratio(get(r, x, "unwrapRelay"), get(r, x, "kemDecaps"))));
        }
        double ml768 = get(r, "mlkem768-mldsa65", "unwrapRelay");
        double xw = get(r, "xwing-mldsa65", "unwrapRelay");
        b.append('\n');
        if (!Double.isNaN(ml768)) {
            b.append(String.format(Locale.ROOT, "Our ML-KEM-768 unwrap is %.2fx the KEMSphinx figure in absolute terms, but theirs is Go "
                    + "on other hardware: the comparable figure is the share of a hop that is not the KEM, here %.0f%% (ML-KEM-768)",
                    ml768 / KEMSPHINX_MLKEM768_UNWRAP_US, 100 * (1 - get(r, "mlkem768-mldsa65", "kemDecaps") / ml768)));
            if (!Double.isNaN(xw)) {
                b.append(String.format(Locale.ROOT, " and %.0f%% (X-Wing); the default suite's hop costs %.2fx an ML-KEM-768 hop",
                        100 * (1 - get(r, "xwing-mldsa65", "kemDecaps") / xw), xw / ml768));
            }
            b.append(".\n");
        }
        return b.toString();
    }

    static double perAnonymousGet(Map<String, Stats> r, String suite) {
        return get(r, suite, "forward3") + get(r, suite, "newSurb2") + 4 * get(r, suite, "unwrapRelay") + get(r, suite, "unwrapDeliver")
                + get(r, suite, "reply") + get(r, suite, "surbOpen");
    }

    static double get(Map<String, Stats> r, String suite, String method) {
        Stats s = r.get(key(suite, method));
        return s == null ? Double.NaN : s.median();
    }

    private static void row(StringBuilder b, List<String> suites, String label, java.util.function.Function<String, Double> value) {
        rowText(b, suites, label, x -> us(value.apply(x)));
    }

    private static void rowText(StringBuilder b, List<String> suites, String label, java.util.function.Function<String, String> value) {
        b.append("| ").append(label).append(" |");
        suites.forEach(x -> b.append(' ').append(value.apply(x)).append(" |"));
        b.append('\n');
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "—" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    static String us(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        return String.format(Locale.ROOT, v >= 1000 ? "%,.0f" : v >= 100 ? "%.0f" : "%.1f", v);
    }

    private static void write(Path file, String text) throws java.io.IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static void writeCsv(Path file, Settings s, Map<String, Stats> results) throws java.io.IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            out.println("suite,operation,median_us,mean_us,error_us,min_us,max_us,iterations");
            for (String suite : s.suites()) {
                for (String method : s.methods()) {
                    Stats x = results.get(key(suite, method));
                    if (x != null) {
                        out.printf(Locale.ROOT, "%s,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%d%n", suite, method, x.median(), x.mean(), x.error(),
                                x.min(), x.max(), x.iterations());
                    }
                }
            }
        }
    }
}
