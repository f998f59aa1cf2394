package org.qdht.benchmarks.crypto;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KeyPair;

/**
 * Runs the three benchmark classes in one go and prints, per suite and operation, our API against
 * raw Bouncy Castle (and the JDK on Java 24+), then the key, ciphertext and signature sizes.
 *
 * <p>Each (suite, operation) pair is one JMH run of the two or three implementations back to
 * back, so the figures compared on a row were measured within seconds of each other: on a noisy
 * shared machine the ratio on a row is worth more than any absolute figure. Settings are system
 * properties (see {@link #usage()}); {@code --help} prints them.
 */
public final class CryptoBenchmarks {
    private static final String PACKAGE = CryptoBenchmarks.class.getPackageName() + ".";
    private static final double GOAL = 0.10;

    enum Op {
        KEM_KEYGEN("kemKeygen", "KEM keygen", true),
        KEM_ENCAPS("kemEncaps", "KEM encaps", true),
        KEM_DECAPS("kemDecaps", "KEM decaps", true),
        SIG_KEYGEN("sigKeygen", "sig keygen", false),
        SIGN("sign", "sign", false),
        VERIFY("verify", "verify", false);

        final String method;
        final String label;
        final boolean kem;

        Op(String method, String label, boolean kem) {
            this.method = method;
            this.label = label;
            this.kem = kem;
        }

        static Op of(String text) {
            for (Op op : values()) {
                if (op.method.equalsIgnoreCase(text.trim()) || op.name().equalsIgnoreCase(text.trim())) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown operation '" + text + "'; operations are "
                    + Arrays.stream(values()).map(o -> o.method).toList());
        }
    }

    /** The figures of one benchmark: iteration scores in µs/op, and JMH's mean and 99.9% error. */
    record Stats(double median, double mean, double error, double min, double max, int iterations) {
        static Stats of(RunResult r) {
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) {
                    scores.add(i.getPrimaryResult().getScore());
                }
            }
            double[] s = sortedArray(scores);
            int n = s.length;
            double median = n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            return new Stats(median, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    n == 0 ? Double.NaN : s[0], n == 0 ? Double.NaN : s[n - 1], n);
        }
    }

    /** One line of the table. {@code measuredAs} is the suite whose run is reused, or null. */
    static final class Row {
        final String suite;
        final Op op;
        String measuredAs;
        String skipped;
        Stats ours;
        Stats raw;
        Stats jdk;
        boolean jdkApplies;
        String jdkAlgorithm;

        Row(String suite, Op op) {
            this.suite = suite;
            this.op = op;
        }

        double overhead() {
            return ours == null || raw == null ? Double.NaN : ours.median / raw.median - 1;
        }
    }

    record Settings(List<String> suites, List<Op> ops, boolean slowSign, boolean dedupe, String jdk, int forks,
            int warmupIterations, TimeValue warmupTime, int iterations, TimeValue time, VerboseMode verbosity,
            String[] jvmArgs, String out, String csv) {

        static Settings fromSystemProperties() {
            String suites = System.getProperty("bench.suites", "all");
            String ops = System.getProperty("bench.ops", "all");
            String jvmArgs = System.getProperty("bench.jvmArgs", "").trim();
            return new Settings(
                    suites.equals("all") ? Fixtures.SUITES : Arrays.stream(suites.split(",")).map(String::trim)
                            .filter(s -> !s.isEmpty()).map(CryptoBenchmarks::checkSuite).toList(),
                    ops.equals("all") ? List.of(Op.values()) : Arrays.stream(ops.split(",")).map(Op::of).toList(),
                    Boolean.parseBoolean(System.getProperty("bench.slowSign", "false")),
                    Boolean.parseBoolean(System.getProperty("bench.dedupe", "true")),
                    System.getProperty("bench.jdk", "auto"),
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

    private CryptoBenchmarks() {
    }

    static String checkSuite(String name) {
        if (!Fixtures.SUITES.contains(name)) {
            throw new IllegalArgumentException("unknown suite '" + name + "'; suites are " + Fixtures.SUITES);
        }
        return name;
    }

    static String usage() {
        return String.join("\n",
                "java [-Dname=value ...] -jar crypto-benchmarks.jar",
                "  -Dbench.suites=all|a,b,...   suites to measure (default all eight)",
                "  -Dbench.ops=all|a,b,...      kemKeygen,kemEncaps,kemDecaps,sigKeygen,sign,verify",
                "  -Dbench.slowSign=false       also sign with the SLH-DSA 128s sets (~1 s per signature)",
                "  -Dbench.dedupe=true          measure a KEM or signature scheme shared by several suites once",
                "  -Dbench.jdk=auto             JDK ML-KEM/ML-DSA column: auto (Java 24+), true, false",
                "  -Dbench.forks=1 -Dbench.warmup=3 -Dbench.warmupTime=1s -Dbench.iterations=5 -Dbench.time=1s",
                "  -Dbench.verbose=SILENT       JMH output: SILENT, NORMAL, EXTRA",
                "  -Dbench.jvmArgs='...'        extra arguments for the forked JVMs",
                "  -Dbench.out=FILE             also write the tables (Markdown) to FILE",
                "  -Dbench.csv=FILE             also write every figure (median, mean, error, min, max) as CSV",
                "The JMH benchmarks can also be run directly: java -cp crypto-benchmarks.jar org.openjdk.jmh.Main -h");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            System.out.println(usage());
            return;
        }
        Settings settings = Settings.fromSystemProperties();
        boolean jdk = switch (settings.jdk().toLowerCase(Locale.ROOT)) {
            case "auto" -> Fixtures.jdkHasPqc();
            case "false" -> false;
            case "true" -> {
                if (!Fixtures.jdkHasPqc()) {
                    throw new IllegalStateException("-Dbench.jdk=true, but this JVM (" + Runtime.version()
                            + ") has no ML-KEM/ML-DSA: they need Java 24 or later");
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("bench.jdk must be auto, true or false");
        };

        StringBuilder report = new StringBuilder();
        String header = header(settings, jdk);
        System.out.println(header);
        report.append(header).append('\n');

        String sizes = sizes(settings.suites());
        System.out.println(sizes);
        report.append(sizes).append('\n');

        List<Row> rows = plan(settings, jdk);
        long toRun = rows.stream().filter(r -> r.measuredAs == null && r.skipped == null).count();
        double perBenchmark = settings.forks() * (settings.warmupIterations() * seconds(settings.warmupTime())
                + settings.iterations() * seconds(settings.time())) + 2;
        long benchmarks = rows.stream().filter(r -> r.measuredAs == null && r.skipped == null)
                .mapToLong(r -> 2 + (r.jdkApplies ? 1 : 0)).sum();
        System.out.printf(Locale.ROOT, "%d runs, %d benchmarks, about %.0f min%n%n", toRun, benchmarks,
                benchmarks * perBenchmark / 60);

        Map<String, Row> measured = new HashMap<>();
        long start = System.nanoTime();
        int done = 0;
        for (Row row : rows) {
            if (row.skipped != null) {
                continue;
            }
            if (row.measuredAs != null) {
                Row source = measured.get(key(row.measuredAs, row.op));
                row.ours = source.ours;
                row.raw = source.raw;
                row.jdk = source.jdk;
                continue;
            }
            done++;
            run(settings, row);
            measured.put(key(row.suite, row.op), row);
            System.out.printf(Locale.ROOT, "[%2d/%d %5.1f min] %-28s %-10s ours %s  raw %s  %s%s%n", done, toRun,
                    (System.nanoTime() - start) / 60e9, row.suite, row.op.label, us(row.ours), us(row.raw),
                    percent(row.overhead()), row.jdkApplies ? "  jdk " + us(row.jdk) : "");
        }
        System.out.println();

        String table = table(rows, jdk);
        System.out.println(table);
        report.append(table);
        if (settings.out() != null) {
            Files.writeString(Path.of(settings.out()), report, StandardCharsets.UTF_8);
        }
        if (settings.csv() != null) {
            writeCsv(Path.of(settings.csv()), rows);
        }
    }

    private static double seconds(TimeValue t) {
        return t.convertTo(TimeUnit.MILLISECONDS) / 1000.0;
    }

    private static String key(String suite, Op op) {
        return suite + "/" + op;
    }

    static String header(Settings s, boolean jdk) {
        StringBuilder b = new StringBuilder();
        b.append("# qDHT crypto benchmarks\n\n");
        b.append(String.format(Locale.ROOT, "- JVM: %s %s (%s), %d CPUs, %s %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch")));
        b.append(String.format(Locale.ROOT, "- JMH: %d fork(s), %d warmup x %s, %d measurement x %s; average time, "
                + "µs/op; table figures are the median of the measurement iterations%n", s.forks(),
                s.warmupIterations(), s.warmupTime(), s.iterations(), s.time()));
        b.append("- Bouncy Castle: ").append(bcVersion()).append('\n');
        b.append("- JDK column: ").append(jdk ? "the JDK's own ML-KEM/ML-DSA (SunJCE/SUN)"
                : "skipped (" + (Runtime.version().feature() < 24 ? "Java " + Runtime.version().feature()
                        + " has no ML-KEM/ML-DSA; they came in 24" : "-Dbench.jdk=false") + ")").append('\n');
        return b.toString();
    }

    private static String bcVersion() {
        try {
            Class<?> c = Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider");
            Object p = c.getConstructor().newInstance();
            return ((java.security.Provider) p).getVersionStr();
        } catch (ReflectiveOperationException e) {
            return "unknown";
        }
    }

    /** The plan: one row per selected suite and operation, marking reused and skipped rows. */
    static List<Row> plan(Settings s, boolean jdk) {
        List<Row> rows = new ArrayList<>();
        Map<String, String> firstWith = new HashMap<>();
        SecureRandom random = new SecureRandom();
        for (String suite : s.suites()) {
            CryptoSuite cs = Fixtures.suite(suite, random);
            for (Op op : s.ops()) {
                Row row = new Row(suite, op);
                rows.add(row);
                row.jdkAlgorithm = op.kem ? Fixtures.jdkKem(suite) : Fixtures.jdkSignature(suite);
                row.jdkApplies = jdk && row.jdkAlgorithm != null;
                if (op == Op.SIGN && Fixtures.slowSigning(suite) && !s.slowSign()) {
                    row.skipped = "not measured by default (~1 s per signature); -Dbench.slowSign=true";
                    continue;
                }
                String primitive = (op.kem ? cs.kem().algorithm() : cs.signatures().algorithm()) + "/" + op;
                String first = firstWith.putIfAbsent(primitive, suite);
                if (s.dedupe() && first != null) {
                    row.measuredAs = first;
                }
            }
        }
        return rows;
    }

    /** One JMH run: our API, raw BC and (where it applies) the JDK on one suite and operation. */
    static void run(Settings s, Row row) throws RunnerException {
        List<String> classes = new ArrayList<>(List.of("SuiteApiBenchmark", "RawBcBenchmark"));
        if (row.jdkApplies) {
            classes.add("JdkBenchmark");
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .forks(s.forks())
                .warmupIterations(s.warmupIterations())
                .warmupTime(s.warmupTime())
                .measurementIterations(s.iterations())
                .measurementTime(s.time())
                .param("suite", row.suite)
                .verbosity(s.verbosity())
                .shouldFailOnError(false);
        for (String c : classes) {
            options.include("^" + Pattern.quote(PACKAGE + c + "." + row.op.method) + "$");
        }
        if (s.jvmArgs().length > 0) {
            options.jvmArgsAppend(s.jvmArgs());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            Stats stats = Stats.of(r);
            if (name.startsWith(PACKAGE + "SuiteApiBenchmark.")) {
                row.ours = stats;
            } else if (name.startsWith(PACKAGE + "RawBcBenchmark.")) {
                row.raw = stats;
            } else if (name.startsWith(PACKAGE + "JdkBenchmark.")) {
                row.jdk = stats;
            }
        }
    }

    /** Sizes in bytes through our API: public keys, KEM ciphertext, secret keys as we store them, signatures. */
    static String sizes(List<String> suites) throws CryptoException {
        StringBuilder b = new StringBuilder();
        b.append("## Sizes (bytes, through our API)\n\n");
        b.append("| suite | KEM | KEM pk | KEM ct | KEM sk (stored) | signature | sig pk | sig sk (stored) | signature |\n");
        b.append("|---|---|--:|--:|--:|---|--:|--:|--:|\n");
        SecureRandom random = new SecureRandom();
        for (String suite : suites) {
            CryptoSuite cs = Fixtures.suite(suite, random);
            KeyPair kem = cs.kem().generateKeyPair();
            int ct;
            try (Encapsulation e = cs.kem().encapsulate(kem.publicKey())) {
                ct = e.ciphertext().size();
            }
            KeyPair sig = cs.signatures().generateKeyPair();
            int signature = Fixtures.slowSigning(suite) ? cs.signatures().signatureSize()
                    : cs.signatures().sign(sig, Fixtures.MESSAGE).size();
            b.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d %s | %s | %,d | %,d %s | %,d |%n", suite,
                    cs.kem().algorithm(), kem.publicKey().size(), ct, kem.secretKey().length(),
                    Fixtures.isXWing(suite) ? "(seed)" : "(dk)", cs.signatures().algorithm(), sig.publicKey().size(),
                    sig.secretKey().length(), Fixtures.mlDsa(suite) != null ? "(seed)" : "(sk)", signature));
        }
        return b.toString();
    }

    static String table(List<Row> rows, boolean jdk) {
        StringBuilder b = new StringBuilder();
        b.append("## Time per operation (µs, median)\n\n");
        b.append(jdk ? "| suite | operation | our API | raw BC | overhead | JDK | note |\n|---|---|--:|--:|--:|--:|---|\n"
                : "| suite | operation | our API | raw BC | overhead | note |\n|---|---|--:|--:|--:|---|\n");
        List<String> over = new ArrayList<>();
        Map<String, Boolean> explained = new LinkedHashMap<>();
        for (Row r : rows) {
            String note;
            if (r.skipped != null) {
                note = r.skipped;
            } else if (r.measuredAs != null) {
                note = "same code as " + r.measuredAs;
            } else if (r.ours == null || r.raw == null || (r.jdkApplies && r.jdk == null)) {
                note = "a benchmark failed: rerun with -Dbench.verbose=NORMAL";
            } else {
                note = "";
            }
            double o = r.overhead();
            if (!Double.isNaN(o) && o > GOAL && r.measuredAs == null) {
                over.add(r.suite + " " + r.op.label);
                explained.put(reason(r.suite, r.op), true);
            }
            b.append("| ").append(r.suite).append(" | ").append(r.op.label).append(" | ").append(us(r.ours))
                    .append(" | ").append(us(r.raw)).append(" | ").append(percent(o));
            if (jdk) {
                b.append(" | ").append(r.jdkApplies ? us(r.jdk) : "—");
            }
            b.append(" | ").append(note).append(" |\n");
        }
        b.append('\n');
        b.append("Overhead = our API / raw BC - 1, from the medians. Goal: under ")
                .append(Math.round(GOAL * 100)).append("%. ");
        if (over.isEmpty()) {
            b.append("Every measured operation is within it.\n");
        } else {
            b.append(over.size()).append(" measured operation(s) over it: ").append(String.join(", ", over))
                    .append(".\n\nWhy:\n");
            for (String why : explained.keySet()) {
                b.append("- ").append(why).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * What our API does on top of raw BC for this operation, read from crypto-bc as of the
     * {@code ExpandedKeys} change (expanded private keys kept per key pair).
     */
    static String reason(String suite, Op op) {
        boolean xwing = Fixtures.isXWing(suite);
        boolean mlDsa = Fixtures.mlDsa(suite) != null;
        switch (op) {
            case KEM_KEYGEN:
                return xwing ? "X-Wing keygen: BC's expansion, plus the public key encoded and copied and its key id (SHA-256 over 1,216 bytes)"
                        : "ML-KEM keygen: BC's key object is turned into our stored form (ek copied, the FIPS 203 dk "
                        + "assembled from copies of s, ek, H(ek), z, BC's key wiped) and the key id is computed (SHA-256 over ek); "
                        + "a fixed few µs, which weighs most on the fastest set, ML-KEM-512";
            case KEM_ENCAPS:
                return "KEM encaps: the FIPS 203 modulus check of ek, a BC public key object rebuilt from the bytes at each call, "
                        + "copies of key and ciphertext in and out of the API types";
            case KEM_DECAPS:
                return xwing ? "X-Wing decaps: a lookup of the expanded key kept per key pair, ciphertext checks and copies "
                        + "(the first decapsulation with a key pair also expands the 32-byte seed: about 60 µs)"
                        : "ML-KEM decaps: a lookup of the parsed key kept per key pair, ciphertext checks and copies "
                        + "(the first decapsulation with a key pair also parses dk and runs its FIPS 203 hash check)";
            case SIG_KEYGEN:
                return "signature keygen: the public key encoded and copied, and its key id (SHA-256 over the public key); "
                        + "a fixed few µs, which weighs most on the fastest set, ML-DSA-44";
            case SIGN:
                return mlDsa ? "ML-DSA sign: a lookup of the expanded key kept per key pair (the first signature with a "
                        + "key pair also expands the 32-byte seed: most of a key generation)"
                        : "SLH-DSA sign: a lookup of the key object kept per key pair";
            case VERIFY:
                return "verify: a BC public key object rebuilt from the bytes at each call, suite and key-id checks";
            default:
                return op.label;
        }
    }

    static String us(Stats s) {
        if (s == null) {
            return "—";
        }
        double v = s.median();
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }

    static String percent(double o) {
        return Double.isNaN(o) ? "—" : String.format(Locale.ROOT, "%+.1f%%", o * 100);
    }

    static void writeCsv(Path file, List<Row> rows) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            out.println("jvm,suite,operation,implementation,measured_as,median_us,mean_us,error_us,min_us,max_us,iterations");
            String jvm = Runtime.version().toString();
            for (Row r : rows) {
                String[] names = {"ours", "raw-bc", "jdk"};
                Stats[] stats = {r.ours, r.raw, r.jdk};
                for (int i = 0; i < 3; i++) {
                    Stats s = stats[i];
                    if (s != null) {
                        out.printf(Locale.ROOT, "%s,%s,%s,%s,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%d%n", jvm, r.suite, r.op.method,
                                names[i], r.measuredAs == null ? "" : r.measuredAs, s.median(), s.mean(), s.error(),
                                s.min(), s.max(), s.iterations());
                    }
                }
            }
        }
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
