package org.qdht.kademlia.simulator;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.qdht.kademlia.core.KademliaParameters;

/**
 * Runs the standard scenarios and prints their figures as Markdown, with progress lines on
 * standard error while large networks are built:
 *
 * <pre>java -Xmx8g -cp ... org.qdht.kademlia.simulator.SimulationRunner [--seed N] [--lookups N] [--threads N] [--all] [nodes...]</pre>
 *
 * Nodes default to 1,000 and 10,000. Each size gets an honest network (lookups with alpha 3 and 10
 * and with 4 disjoint paths, put/get, then 30% abrupt churn with a maintenance round) and a network
 * with 20% attackers spread over many /24s. Networks of up to 2,000 nodes, or any size with
 * {@code --all}, also get the variants: 1% loss without retransmission, per-message log-normal
 * latency, graceful churn, and the attacker confined to four /24s. Independent networks run on
 * separate threads (one per core by default); each is deterministic on its own.
 */
public final class SimulationRunner {
    private static final double CHURN = 0.3;
    private static final double ATTACKERS = 0.2;
    private static final int RECORDS = 200;
    private static final int PUBLISHERS = 20;
    private static final long MAINTENANCE_WINDOW_MILLIS = 10 * 60_000;

    private final long seed;
    private final int lookups;

    private SimulationRunner(long seed, int lookups) {
        this.seed = seed;
        this.lookups = lookups;
    }

    public static void main(String[] args) throws Exception {
        long seed = 1;
        int lookups = 1_000;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean all = false;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--lookups" -> lookups = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--all" -> all = true;
                default -> sizes.add(Integer.parseInt(args[i].replace("_", "").replace(",", "")));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000, 10_000);
        }
        SimulationRunner runner = new SimulationRunner(seed, lookups);
        long start = System.nanoTime();
        System.out.println("# qDHT Kademlia simulation");
        System.out.println();
        System.out.printf(Locale.ROOT, "Machine: %s %s, %d cores, max heap %.1f GiB, Java %s. Seed %d, %,d lookups and gets per row.%n",
                System.getProperty("os.name"), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024), System.getProperty("java.version"), seed, lookups);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            for (int n : sizes) {
                runner.runSize(n, all || n <= 2_000, pool);
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf(Locale.ROOT, "%nTotal: %.1f s wall, %.1f s CPU (all threads, GC included)%n", (System.nanoTime() - start) / 1e9,
                processCpuNanos() / 1e9);
    }

    private void runSize(int n, boolean variants, ExecutorService pool) throws Exception {
        long start = System.nanoTime();
        List<Future<String>> parts = new ArrayList<>();
        parts.add(pool.submit(() -> honest(n, variants)));
        parts.add(pool.submit(() -> adversary(n, 0)));
        if (variants) {
            parts.add(pool.submit(() -> graceful(n)));
            parts.add(pool.submit(() -> adversary(n, 4)));
        }
        StringBuilder out = new StringBuilder();
        for (Future<String> part : parts) {
            out.append(part.get());
        }
        System.out.printf(Locale.ROOT, "%n## %,d nodes%n%n", n);
        System.out.print(out);
        System.out.printf(Locale.ROOT, "%nWall time for %,d nodes: %.1f s (networks built and run in parallel).%n", n,
                (System.nanoTime() - start) / 1e9);
        System.out.flush();
    }

    /** The honest network: lookups, records, table sizes, then abrupt churn. */
    private String honest(int n, boolean variants) {
        long wall = System.nanoTime();
        long cpu = threadCpuNanos();
        Simulation s = Simulation.build(SimulationConfig.of(n, seed), progress(n, "honest"));
        KademliaParameters p = s.config().parameters();
        FiguresTable t = new FiguresTable();
        String build = buildNote(s);
        t.add(s.lookups("k=20, alpha=3", lookups, p));
        t.add(s.lookups("k=20, alpha=10", lookups, p.withAlpha(10)));
        t.add(s.lookups("k=20, alpha=3, 4 disjoint paths", lookups, p.withDisjointPaths(4)));
        if (variants) {
            NetworkConditions normal = s.network().conditions();
            s.network().conditions(normal.withLoss(normal.lossRate(), NetworkConditions.LossRecovery.NONE));
            t.add(s.lookups("alpha=3, 1% loss without retransmission", lookups, p));
            s.network().conditions(normal.withLatency(LogNormalLatency.defaults()));
            t.add(s.lookups("alpha=3, per-message log-normal latency", lookups, p));
            s.network().conditions(normal);
        }
        Simulation.TableFigures tables = s.tables();
        TableMemory.Figures memory = s.tableMemory(Math.min(n, 500));
        PutFigures put = s.publish(RECORDS, PUBLISHERS);
        PutFigures update = s.update(0.5);
        t.add(s.gets("get, quorum " + s.config().getQuorum(), lookups, p));
        churn(s, t, false);
        t.note(build);
        t.note(String.format(Locale.ROOT, "routing tables: %.1f entries on average (p95 %.0f), %.1f replacements waiting; "
                + "heap %.0f bytes per entry, %.1f KiB per table (measured on copies of %d tables with their own PeerInfo objects)",
                tables.entries().mean(), tables.entries().percentile(0.95), tables.replacements().mean(), memory.bytesPerEntry(),
                memory.bytesPerTable() / 1024, memory.tables()));
        t.note(putNote(put));
        t.note(putNote(update));
        t.note(String.format(Locale.ROOT, "log2(%,d) = %.2f; ProbeLab RFM19.1 measured 1.93 mean hops for 25k peers with k=20, alpha=10",
                n, Math.log(n) / Math.log(2)));
        t.note(String.format(Locale.ROOT, "%,d ML-DSA-65 verifications in all; %s", s.verifier().verifications(), times(wall, cpu)));
        return section("Honest network, then " + Math.round(CHURN * 100) + "% abrupt churn", t);
    }

    /** The same kind of network, with records, whose nodes leave gracefully. */
    private String graceful(int n) {
        long wall = System.nanoTime();
        long cpu = threadCpuNanos();
        Simulation s = Simulation.build(SimulationConfig.of(n, seed + 1), progress(n, "graceful"));
        FiguresTable t = new FiguresTable();
        String build = buildNote(s);
        s.publish(RECORDS, PUBLISHERS);
        s.update(0.5);
        churn(s, t, true);
        t.note(build);
        t.note(times(wall, cpu));
        return section("Honest network, " + Math.round(CHURN * 100) + "% graceful churn", t);
    }

    /**
     * Departure, then lookups and gets while a maintenance round (bucket refresh, republish by
     * storers) runs over ten simulated minutes, then lookups and gets after it.
     */
    private void churn(Simulation s, FiguresTable t, boolean gracefully) {
        KademliaParameters p = s.config().parameters();
        String how = gracefully ? "graceful" : "abrupt";
        int left = s.depart(CHURN, gracefully);
        Simulation.Batch gets = s.startGets("get, during repair after " + how + " churn", lookups, p);
        Simulation.Batch finds = s.startLookups("alpha=3, during repair after " + how + " churn", lookups, p);
        s.startMaintenance(MAINTENANCE_WINDOW_MILLIS);
        long before = s.network().messages();
        s.settle();
        long repair = s.network().messages() - before;
        t.add(finds.lookupFigures());
        t.add(s.lookups("alpha=3, after republish (" + how + " churn)", lookups, p));
        t.add(gets.getFigures());
        t.add(s.gets("get, after republish (" + how + " churn)", lookups, p));
        t.note(String.format(Locale.ROOT, "%s churn: %,d nodes left; the maintenance round and the workload during it sent %,d messages "
                + "(%.0f per live node)", how, left, repair, (double) repair / s.network().liveNodes().size()));
    }

    /** A network with 20% attackers, spread over many /24s or confined to a few. */
    private String adversary(int n, int subnets) {
        long wall = System.nanoTime();
        long cpu = threadCpuNanos();
        SimulationConfig config = SimulationConfig.of(n, seed + 2 + subnets)
                .withAdversary(ATTACKERS, subnets, 0.2, Adversary.Forgery.BOTH);
        Simulation s = Simulation.build(config, progress(n, subnets == 0 ? "attackers" : "attackers in " + subnets + " /24s"));
        KademliaParameters p = s.config().parameters();
        KademliaParameters disjoint = p.withDisjointPaths(4);
        FiguresTable t = new FiguresTable();
        String build = buildNote(s);
        double share = s.maliciousShareOfHonestTables();
        t.add(s.lookups("1 path", lookups, p));
        t.add(s.lookups("4 disjoint paths", lookups, disjoint));
        s.publish(RECORDS, PUBLISHERS);
        Adversary adversary = s.adversary().orElseThrow();
        adversary.forgery(Adversary.Forgery.BAD_SIGNATURE);
        t.add(s.gets("get, 1 path, forged signatures", lookups, p));
        t.add(s.gets("get, 4 paths, forged signatures", lookups, disjoint));
        adversary.forgery(Adversary.Forgery.OWN_KEY);
        t.add(s.gets("get, 1 path, attacker-signed records", lookups, p));
        t.add(s.gets("get, 4 paths, attacker-signed records", lookups, disjoint));
        t.note(build);
        t.note(String.format(Locale.ROOT, "attacker: %,d nodes (%.0f%%), %s, drops 20%% of requests; it holds %.1f%% of the entries "
                + "of honest routing tables; it served %,d records with a bad signature and %,d signed with its own key", adversary.size(),
                100 * ATTACKERS, subnets == 0 ? "spread over many /24s" : "confined to " + subnets + " /24s", 100 * share,
                adversary.forgeriesServed(), adversary.ownKeyRecordsServed()));
        t.note(times(wall, cpu));
        return section(Math.round(ATTACKERS * 100) + "% attackers" + (subnets == 0 ? ", many /24s" : ", in " + subnets + " /24s"), t);
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Wall and CPU time of one network: on a shared machine the CPU time is the steadier figure. */
    private static String times(long wallStart, long cpuStart) {
        return String.format(Locale.ROOT, "this network took %.1f s wall, %.1f s CPU (its thread)", (System.nanoTime() - wallStart) / 1e9,
                (threadCpuNanos() - cpuStart) / 1e9);
    }

    private static String buildNote(Simulation s) {
        return String.format(Locale.ROOT, "build: %,d nodes joined in %.1f s wall, %,d messages (%.0f per node), %.0f s simulated",
                s.config().nodes(), s.buildWallMillis() / 1e3, s.network().messages(),
                (double) s.network().messages() / s.config().nodes(), s.scheduler().nowMicros() / 1e6);
    }

    private static String putNote(PutFigures f) {
        return String.format(Locale.ROOT, "%s: %.1f replicas each on average (min %.0f), %.0f messages and %,.0f bytes per put",
                f.label(), f.replicas().mean(), f.replicas().percentile(1e-9), f.messages().mean(), f.bytes().mean());
    }

    private static String section(String title, FiguresTable t) {
        return "\n### " + title + "\n\n" + t.markdown();
    }

    private static Consumer<String> progress(int n, String name) {
        return line -> System.err.printf(Locale.ROOT, "[%,d %s] %s%n", n, name, line);
    }
}
