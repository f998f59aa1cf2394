package org.qdht.benchmarks.onion.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.anonymity.AnonymousDht;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.Record;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportStats;
import org.qdht.testsupport.Testnet;

/**
 * Part 2 of the onion benchmark: {@code bench.nodes} (12) real server nodes in this Felix
 * framework, each with its own UDP socket on 127.0.0.1, the default suite, secure channels,
 * Kademlia routing and onion routing (every node a relay and a client, circuits of 3 relays).
 * Puts {@code bench.records} records, then gets them from random nodes, one at a time, directly
 * ({@link Dht#get}) and anonymously ({@link AnonymousDht#get}) in alternation, so that the noise
 * of the shared machine hits both alike; then both with {@code bench.concurrency} in flight.
 * Prints latency, CPU and bytes per get, writes them to {@code bench.out}, together with part 1's
 * table when it ran before in the same build.
 *
 * <p>A benchmark runner, not a test: it asserts only that every get succeeded with the value put
 * (and that the network formed); never anything about a time.
 */
class OnionNetworkBenchmark {
    private static final long OP_TIMEOUT_SECONDS = 30;
    /** Peers each node must know before the first anonymous get is tried (as the onion bundle's own test waits for). */
    private static final int MIN_TABLE = 6;

    @InjectBundleContext
    static BundleContext context;
    @InjectService
    static ConfigurationAdmin cm;

    private final long started = System.nanoTime();
    private final Random random = new Random(20_261_126);
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> failureKinds = new TreeMap<>();

    private int nodes;
    private Testnet net;
    private String[] names;
    private Dht[] dhts;
    private AnonymousDht[] anonymous;
    private Transport[] udps;

    @Test
    void run() throws Exception {
        nodes = intSetting("bench.nodes", 12);
        int basePort = intSetting("bench.basePort", 5200);
        int difficulty = intSetting("bench.puzzleDifficulty", 8);
        net = new Testnet(context, cm, basePort, difficulty);
        try {
            int failures = measure(basePort, difficulty);
            String table = table();
            System.out.println();
            System.out.println(table);
            String out = context.getProperty("bench.out");
            if (out != null && !out.isBlank()) {
                Path file = Path.of(out);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, report(table), StandardCharsets.UTF_8);
                progress("wrote " + file.toAbsolutePath());
            }
            assertEquals(0, failures, "every get succeeds with the value put (see the table)");
        } finally {
            progress("stopping the nodes");
            net.close();
        }
    }

    private int measure(int basePort, int difficulty) throws Exception {
        int records = intSetting("bench.records", 20);
        int valueSize = intSetting("bench.valueSize", 256);
        int warmupRounds = intSetting("bench.warmupRounds", 3);
        int gets = intSetting("bench.gets", 300);
        int concurrentGets = intSetting("bench.concurrentGets", 300);
        int concurrency = intSetting("bench.concurrency", 8);
        int idleSeconds = intSetting("bench.idleSeconds", 5);
        int failures = 0;
        progress(String.format("%d server nodes with onion routing, puzzle %d bits, ports %d-%d, %d cores, %s %s", nodes, difficulty,
                basePort, basePort + 2 * (nodes - 1), cores(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version")));

        // the configuration of the onion bundle's OnionNetworkIT, without its short epochs and refresh times
        net.configure("org.qdht.log.console", "org.qdht.node.internal.ConsoleLog", Map.of("level", "WARN"));
        net.configure("org.qdht.transport.udp", "org.qdht.transport.udp.internal.UdpTransportComponent", Map.of("bindAddress", "127.0.0.1"));
        // all nodes share 127.0.0.1: the per-host handshake limits are raised as in the routing benchmark
        net.configure("org.qdht.channel", "org.qdht.channel.internal.ChannelComponent", Map.of("minPeerPuzzleDifficulty", difficulty,
                "handshakesPerSecondPerHost", 10_000.0, "handshakeBurstPerHost", 10_000));
        Map<String, Object> kademlia = new HashMap<>();
        kademlia.put("bootstrap", new String[] {net.bootstrapAddress()});
        kademlia.put("minPublisherPuzzleDifficulty", difficulty);
        net.configure("org.qdht.routing.kademlia", "org.qdht.routing.kademlia.internal.KademliaComponent", kademlia);
        Map<String, Object> onion = new HashMap<>();
        onion.put("minPublisherPuzzleDifficulty", difficulty);
        onion.put("operationTimeoutSeconds", 20L);
        net.configure("org.qdht.onion", "org.qdht.onion.internal.OnionComponent", onion);

        names = new String[nodes];
        long t0 = System.nanoTime();
        for (int i = 0; i < nodes; i++) {
            names[i] = String.format("n%02d", i);
            net.addNode(names[i], i, Map.of());
        }
        for (String name : names) {
            Testnet.awaitTrue(() -> !net.udp(name).localAddresses().isEmpty(), "node " + name
                    + " with a bound UDP socket (is another process using ports " + net.bootstrapAddress() + " and up? set BENCH_BASE_PORT)",
                    Duration.ofSeconds(10));
        }
        int minTable = Math.min(MIN_TABLE, nodes - 1);
        for (String name : names) {
            Testnet.awaitTrue(() -> net.routing(name).size() >= minTable, name + " with " + minTable + " peers in its table", Duration.ofSeconds(60));
        }
        double joinedSeconds = (System.nanoTime() - t0) / 1e9;
        progress(String.format("every node has >= %d peers after %.1f s", minTable, joinedSeconds));

        dhts = new Dht[nodes];
        anonymous = new AnonymousDht[nodes];
        udps = new Transport[nodes];
        NodeIdentity[] identities = new NodeIdentity[nodes];
        for (int i = 0; i < nodes; i++) {
            dhts[i] = net.dht(names[i]);
            final String name = names[i];
            Testnet.awaitTrue(() -> net.service(AnonymousDht.class, name).isPresent(), name + " with an AnonymousDht service", Duration.ofSeconds(30));
            anonymous[i] = net.service(AnonymousDht.class, name).orElseThrow();
            udps[i] = net.udp(names[i]);
            identities[i] = net.identity(names[i]);
        }
        // as OnionNetworkIT: a first anonymous get succeeds once a node knows enough relays and their keys
        long f0 = System.nanoTime();
        Testnet.awaitTrue(() -> anonymous[0].get(DhtKey.ofName("nothing-here")).toCompletableFuture().get(OP_TIMEOUT_SECONDS, TimeUnit.SECONDS).isEmpty(),
                "n00 builds a circuit and gets an answer", Duration.ofSeconds(120));
        double firstAnonymousSeconds = (System.nanoTime() - f0) / 1e9;
        progress(String.format("first anonymous get answered %.1f s after the tables were ready", firstAnonymousSeconds));

        // the records: signed by a random node, put from it
        List<Record> stored = new ArrayList<>();
        double[] putMillis = new double[records];
        for (int i = 0; i < records; i++) {
            int node = random.nextInt(nodes);
            byte[] value = new byte[valueSize];
            random.nextBytes(value);
            Record r = sign(identities[node], "bench-onion-" + i, value);
            long t = System.nanoTime();
            int copies = dhts[node].put(r).toCompletableFuture().get(OP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            putMillis[i] = (System.nanoTime() - t) / 1e6;
            if (copies < 1) {
                failures++;
                notes.add("record bench-onion-" + i + " was stored on no node");
            }
            stored.add(r);
        }
        progress(String.format("%d records of %d bytes put, median %.1f ms", records, valueSize, median(putMillis)));

        // warm-up: every node gets through its circuit (first use: circuit, sessions to the relays) and directly
        double[] firstAnonymous = new double[nodes];
        Samples warm = new Samples("warm-up");
        for (int round = 0; round < warmupRounds; round++) {
            for (int i = 0; i < nodes; i++) {
                Record r = stored.get(random.nextInt(records));
                failures += direct(warm, i, r);
                long t = System.nanoTime();
                failures += anonymous(warm, i, r);
                if (round == 0) {
                    firstAnonymous[i] = (System.nanoTime() - t) / 1e6;
                }
            }
        }
        int hops = anonymous[0].circuits().isEmpty() ? 0 : anonymous[0].circuits().get(0).hops();
        progress(String.format("warm-up: %d rounds of one direct and one anonymous get per node; first anonymous get per node median %.1f ms, max %.1f ms",
                warmupRounds, median(firstAnonymous), Arrays.stream(firstAnonymous).max().orElse(0)));

        progress("idle " + idleSeconds + " s: background traffic");
        long idleBytes0 = udpOut();
        long idleCpu0 = cpuNanos();
        long idleT0 = System.nanoTime();
        Thread.sleep(idleSeconds * 1000L);
        double idleSecondsMeasured = (System.nanoTime() - idleT0) / 1e9;
        double idleBytesPerSecond = (udpOut() - idleBytes0) / idleSecondsMeasured;
        double idleCpuBusy = 100.0 * (cpuNanos() - idleCpu0) / 1e9 / idleSecondsMeasured / cores();

        // sequential, interleaved: the same key from the same node both ways, the order alternating
        progress(gets + " direct and " + gets + " anonymous gets, one at a time, interleaved");
        Map<String, Long> onion0 = onionCounters();
        Samples seqDirect = new Samples("direct");
        Samples seqAnon = new Samples("anonymous");
        for (int i = 0; i < gets; i++) {
            int node = random.nextInt(nodes);
            Record r = stored.get(random.nextInt(records));
            if (i % 2 == 0) {
                failures += direct(seqDirect, node, r);
                failures += anonymous(seqAnon, node, r);
            } else {
                failures += anonymous(seqAnon, node, r);
                failures += direct(seqDirect, node, r);
            }
            if ((i + 1) % 100 == 0) {
                progress(String.format("%d/%d pairs: direct median %.2f ms, anonymous median %.2f ms", i + 1, gets,
                        seqDirect.percentile(50), seqAnon.percentile(50)));
            }
        }
        Map<String, Long> onion1 = onionCounters();

        // concurrent: alternating blocks of direct and anonymous gets, each block with `concurrency` in flight
        progress(concurrentGets + " direct and " + concurrentGets + " anonymous gets with " + concurrency + " in flight, in alternating blocks");
        Concurrent conDirect = new Concurrent();
        Concurrent conAnon = new Concurrent();
        int block = Math.max(concurrency, Math.min(100, concurrentGets));
        for (int done = 0; done < concurrentGets; done += block) {
            int n = Math.min(block, concurrentGets - done);
            failures += concurrent(conDirect, n, concurrency, i -> getChecked(dhts[random.nextInt(nodes)].get(key(stored, i)), stored));
            failures += concurrent(conAnon, n, concurrency, i -> getChecked(anonymous[random.nextInt(nodes)].get(key(stored, i)), stored));
        }
        progress(String.format("concurrent: %.0f direct gets/s, %.0f anonymous gets/s", conDirect.perSecond(), conAnon.perSecond()));
        Map<String, Long> onionEnd = onionCounters();

        // ---- the table ----
        section("Machine and run");
        row("machine", String.format("%d cores (`nproc`), %s; shared with other work", cores(), cpuModel()), "");
        row("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + String.format(", max heap %.0f MB", Runtime.getRuntime().maxMemory() / 1e6), "");
        row("network", String.format("%d server nodes in one Felix framework, UDP on 127.0.0.1 ports %d-%d", nodes, basePort, basePort + 2 * (nodes - 1)),
                "every node a relay and a client of onion routing");
        row("suite, puzzle", String.format("%s (node default), NodeId puzzle %d bits", identities[0].suite().name(), difficulty),
                "channel, Kademlia and onion publisher puzzle minimum = " + difficulty);
        row("onion settings", String.format("circuits of %d relays, replies over the 2 relays before the exit; bundle defaults otherwise "
                + "(epoch 3,600 s, circuit 600 s, directory refresh 60 s); operation timeout 20 s", hops), "as `OnionNetworkIT`, without its short epoch and refresh");
        row("records", String.format("%d records of %d bytes, signed (ML-DSA-65) by a random node and put from it", records, valueSize),
                String.format("put median %.1f ms", median(putMillis)));
        row("network ready", String.format("%.1f s until every node had >= %d peers, first anonymous get %.1f s later", joinedSeconds, minTable,
                firstAnonymousSeconds), String.format("first anonymous get of each node (circuit, sessions to its relays): median %.1f ms, max %.1f ms",
                        median(firstAnonymous), Arrays.stream(firstAnonymous).max().orElse(0)));

        section("Gets one at a time (" + gets + " of each, interleaved, same key from the same random node)");
        row("direct `Dht.get` latency", seqDirect.latency(), seqDirect.failures == 0 ? "all found with the value put" : seqDirect.failures + " failed");
        row("anonymous `AnonymousDht.get` latency", seqAnon.latency(), seqAnon.failures == 0 ? "all found with the value put" : seqAnon.failures + " failed");
        row("**ratio anonymous / direct**", String.format("**%.1fx** median, %.1fx p95, %.1fx mean", seqAnon.percentile(50) / seqDirect.percentile(50),
                seqAnon.percentile(95) / seqDirect.percentile(95), seqAnon.mean() / seqDirect.mean()),
                String.format("anonymous - direct: %.2f ms median", seqAnon.percentile(50) - seqDirect.percentile(50)));
        row("CPU per get (process, all nodes)", String.format("direct %.2f ms, anonymous %.2f ms (%.1fx)", seqDirect.cpuMillis(), seqAnon.cpuMillis(),
                seqAnon.cpuMillis() / seqDirect.cpuMillis()), "process CPU time around each get: both ends of every message, crypto, UDP, GC and "
                        + "whatever runs in the background meanwhile");
        row("UDP bytes per get", String.format("direct %,.0f B, anonymous %,.0f B (%.1fx)", seqDirect.bytesPerOp(), seqAnon.bytesPerOp(),
                seqAnon.bytesPerOp() / seqDirect.bytesPerOp()), "sum over all nodes of `TransportStats.bytesOut` around each get (channel packets, "
                        + "no fragment, UDP or IP headers)");
        row("UDP datagrams per get", String.format("direct %.1f, anonymous %.1f", seqDirect.datagramsPerOp(), seqAnon.datagramsPerOp()),
                "`TransportStats.datagramsOut`");
        row("background while idle", String.format("%,.0f B/s UDP, CPU busy %.0f%% of %d cores", idleBytesPerSecond, idleCpuBusy, cores()),
                String.format("%d s with no get running, before the measurements; at that rate %.0f B fall into a median anonymous get",
                        idleSeconds, idleBytesPerSecond * seqAnon.percentile(50) / 1000));
        row("onion packets per anonymous get", onionPerGet(onion0, onion1, gets), "`onion:relay` counters of all nodes during the sequential phase / anonymous gets");

        section("Gets with " + concurrency + " in flight (" + concurrentGets + " of each, alternating blocks of " + block + ")");
        row("direct gets per second", String.format("**%.0f gets/s**", conDirect.perSecond()), String.format("latency median %.1f ms, p95 %.1f ms; %d failed",
                conDirect.samples.percentile(50), conDirect.samples.percentile(95), conDirect.samples.failures));
        row("anonymous gets per second", String.format("**%.0f gets/s**", conAnon.perSecond()), String.format("latency median %.1f ms, p95 %.1f ms; %d failed",
                conAnon.samples.percentile(50), conAnon.samples.percentile(95), conAnon.samples.failures));
        row("ratio direct / anonymous throughput", String.format("%.1fx", conDirect.perSecond() / conAnon.perSecond()),
                String.format("one at a time: %.0f direct and %.0f anonymous gets/s", 1000 / seqDirect.mean(), 1000 / seqAnon.mean()));

        packetCryptoRow(seqAnon, seqDirect);

        section("Onion counters (sum over all nodes, whole run)");
        row("`onion:relay`", nonZero(onionEnd), "");
        if (!failureKinds.isEmpty()) {
            notes.add("Failures by kind: " + failureKinds);
        }
        progress(String.format("done in %.0f s", (System.nanoTime() - started) / 1e9));
        return failures;
    }

    // ---- operations ---------------------------------------------------------------------------------

    private static DhtKey key(List<Record> stored, int i) {
        return stored.get(i % stored.size()).key();
    }

    /** Completes with true if the record found has the value put under its key. */
    private static CompletableFuture<Boolean> getChecked(java.util.concurrent.CompletionStage<Optional<Record>> get, List<Record> stored) {
        return get.toCompletableFuture().thenApply(found -> found.isPresent()
                && stored.stream().anyMatch(r -> r.key().equals(found.get().key()) && Arrays.equals(r.value(), found.get().value())));
    }

    private int direct(Samples into, int node, Record expected) {
        return timed(into, () -> dhts[node].get(expected.key()).toCompletableFuture(), expected);
    }

    private int anonymous(Samples into, int node, Record expected) {
        return timed(into, () -> anonymous[node].get(expected.key()).toCompletableFuture(), expected);
    }

    /** One get, timed, with the process CPU time and the UDP bytes of all nodes around it; 1 if it failed. */
    private int timed(Samples into, java.util.function.Supplier<CompletableFuture<Optional<Record>>> get, Record expected) {
        long bytes0 = udpOut();
        long datagrams0 = udpDatagramsOut();
        long cpu0 = cpuNanos();
        long t = System.nanoTime();
        boolean ok;
        try {
            Optional<Record> found = get.get().get(OP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ok = found.isPresent() && found.get().key().equals(expected.key()) && Arrays.equals(found.get().value(), expected.value());
            if (!ok) {
                failure(new AssertionError(found.isEmpty() ? "record not found" : "another value than the one put"));
            }
        } catch (Exception e) {
            ok = false;
            failure(e);
        }
        into.add((System.nanoTime() - t) / 1e6, (cpuNanos() - cpu0) / 1e6, udpOut() - bytes0, udpDatagramsOut() - datagrams0, ok);
        return ok ? 0 : 1;
    }

    /** {@code n} operations with {@code inFlight} at a time; returns the failures. */
    private int concurrent(Concurrent into, int n, int inFlight, IntFunction<CompletableFuture<Boolean>> op) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger failed = new AtomicInteger();
        double[] millis = new double[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            final int index = i;
            long t = System.nanoTime();
            CompletableFuture<Boolean> f;
            try {
                f = op.apply(i);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.orTimeout(OP_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((ok, error) -> {
                millis[index] = (System.nanoTime() - t) / 1e6;
                if (error != null) {
                    failed.incrementAndGet();
                    failure(error);
                } else if (!ok) {
                    failed.incrementAndGet();
                    failure(new AssertionError("record not found or another value than the one put"));
                }
                slots.release();
                done.countDown();
            });
        }
        if (!done.await(OP_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS)) {
            notes.add("a concurrent phase did not finish in time");
            failed.addAndGet((int) done.getCount());
        }
        into.wallNanos += System.nanoTime() - t0;
        into.operations += n;
        for (double m : millis) {
            into.samples.add(m, 0, 0, 0, true);
        }
        into.samples.failures += failed.get();
        return failed.get();
    }

    private synchronized void failure(Throwable e) {
        Throwable t = (e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null ? e.getCause() : e;
        String kind = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (failureKinds.merge(kind, 1, Integer::sum) == 1) {
            progress("failure: " + kind);
        }
    }

    static Record sign(NodeIdentity identity, String name, byte[] value) throws Exception {
        Record unsigned = Record.unsigned(DhtKey.ofName(name), value, 1, System.currentTimeMillis() + 3_600_000, identity.nodeId(),
                identity.suite(), identity.signingKey().keyId(), false);
        return unsigned.withSignature(identity.sign(unsigned.toBeSigned()).bytes());
    }

    /** Per-get samples: latency, process CPU, UDP bytes and datagrams. */
    private static final class Samples {
        final String what;
        final List<Double> millis = new ArrayList<>();
        double cpuMillis;
        long bytes;
        long datagrams;
        int failures;
        private double[] sorted;

        Samples(String what) {
            this.what = what;
        }

        synchronized void add(double ms, double cpuMs, long bytesOut, long datagramsOut, boolean ok) {
            millis.add(ms);
            cpuMillis += cpuMs;
            bytes += bytesOut;
            datagrams += datagramsOut;
            failures += ok ? 0 : 1;
            sorted = null;
        }

        synchronized double percentile(double p) {
            if (sorted == null) {
                sorted = new double[millis.size()];
                for (int i = 0; i < sorted.length; i++) {
                    sorted[i] = millis.get(i);
                }
                Arrays.sort(sorted);
            }
            return OnionNetworkBenchmark.percentile(sorted, p);
        }

        double mean() {
            double sum = 0;
            for (double m : millis) {
                sum += m;
            }
            return millis.isEmpty() ? Double.NaN : sum / millis.size();
        }

        double cpuMillis() {
            return cpuMillis / millis.size();
        }

        double bytesPerOp() {
            return bytes / (double) millis.size();
        }

        double datagramsPerOp() {
            return datagrams / (double) millis.size();
        }

        String latency() {
            return String.format("median **%.2f ms**, p95 %.2f ms, mean %.2f ms, max %.1f ms (n = %d)", percentile(50), percentile(95), mean(),
                    percentile(100), millis.size());
        }

        @Override
        public String toString() {
            return what;
        }
    }

    /** A concurrent phase made of blocks: operations, wall time, latencies. */
    private static final class Concurrent {
        final Samples samples = new Samples("concurrent");
        long wallNanos;
        int operations;

        double perSecond() {
            return operations / (wallNanos / 1e9);
        }
    }

    // ---- part 1's figures -----------------------------------------------------------------------------

    /**
     * Part 1's packet crypto per anonymous get (default suite), from the CSV it wrote earlier in the
     * same build, beside the extra latency and CPU measured here.
     */
    private void packetCryptoRow(Samples anon, Samples direct) {
        String csv = context.getProperty("bench.packetsCsv");
        Map<String, Double> medians = new HashMap<>();
        String suite = "xwing-mldsa65";
        try {
            if (csv != null && Files.isRegularFile(Path.of(csv))) {
                for (String line : Files.readAllLines(Path.of(csv))) {
                    String[] p = line.split(",");
                    if (p.length >= 3 && p[0].equals(suite)) {
                        medians.put(p[1], Double.parseDouble(p[2]));
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            notes.add("part 1's figures could not be read from " + csv + ": " + e.getMessage());
        }
        List<String> needed = List.of("forward3", "newSurb2", "unwrapRelay", "unwrapDeliver", "reply", "surbOpen");
        section("Part 1 against part 2 (default suite)");
        if (!medians.keySet().containsAll(needed)) {
            row("packet crypto per anonymous get", "not available", "part 1 did not run before in this build (" + csv + ")");
            return;
        }
        double us = medians.get("forward3") + medians.get("newSurb2") + 4 * medians.get("unwrapRelay") + medians.get("unwrapDeliver")
                + medians.get("reply") + medians.get("surbOpen");
        double extraLatency = anon.percentile(50) - direct.percentile(50);
        double extraCpu = anon.cpuMillis() - direct.cpuMillis();
        row("packet crypto per anonymous get (part 1)", String.format("%.2f ms", us / 1000),
                "forward + newSurb + 4 relay unwraps + exit unwrap + reply + open, medians of part 1 (single thread, JMH, warmed up); "
                        + "file modified " + modified(csv));
        row("share of the extra cost", String.format("%.0f%% of the extra median latency (%.2f ms), %.0f%% of the extra CPU (%.2f ms)",
                100 * us / 1000 / extraLatency, extraLatency, 100 * us / 1000 / extraCpu, extraCpu),
                "the rest: 6 packets of ~24 KB through the secure channel and UDP (encryption, fragments), thread hand-offs, "
                        + "the client's check of the record");
    }

    private static String modified(String file) {
        try {
            return Instant.ofEpochMilli(Files.getLastModifiedTime(Path.of(file)).toMillis()).toString();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The Markdown file: part 1's tables when they were written in this build, then this part's. */
    private String report(String table) throws IOException {
        StringBuilder out = new StringBuilder("# qDHT onion routing benchmark\n\n");
        String packets = context.getProperty("bench.packets");
        if (packets != null && Files.isRegularFile(Path.of(packets))) {
            out.append(Files.readString(Path.of(packets))).append("\n(part 1 written ").append(modified(packets)).append(")\n\n");
        } else {
            out.append("Part 1 (packet processing) did not run: `java -jar target/onion-benchmarks.jar`.\n\n");
        }
        return out.append(table).toString();
    }

    // ---- counters -----------------------------------------------------------------------------------

    private long udpOut() {
        long sum = 0;
        for (Transport t : udps) {
            sum += t.stats().bytesOut();
        }
        return sum;
    }

    private long udpDatagramsOut() {
        long sum = 0;
        for (Transport t : udps) {
            TransportStats s = t.stats();
            sum += s.datagramsOut();
        }
        return sum;
    }

    /** The {@code onion:relay} counters of all nodes, summed. */
    private static Map<String, Long> onionCounters() throws Exception {
        Map<String, Long> sum = new TreeMap<>();
        for (String line : command("onion", "relay").split("\n")) {
            if (!line.startsWith("  ")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[1].matches("-?\\d+")) {
                sum.merge(parts[0], Long.parseLong(parts[1]), Long::sum);
            }
        }
        return sum;
    }

    private static String onionPerGet(Map<String, Long> before, Map<String, Long> after, int gets) {
        StringBuilder out = new StringBuilder();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.append(out.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", k, d / (double) gets));
            }
        });
        return out.length() == 0 ? "none counted" : out.toString();
    }

    private static String nonZero(Map<String, Long> counters) {
        StringBuilder out = new StringBuilder();
        counters.forEach((k, v) -> {
            if (v != 0) {
                out.append(out.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
            }
        });
        return out.length() == 0 ? "none" : out.toString();
    }

    /** Calls a Gogo command's method through its service (no shell needed), as the routing benchmark does. */
    private static String command(String scope, String function, String... args) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=" + scope + ")(osgi.command.function=" + function + "))");
        if (refs == null || refs.length == 0) {
            throw new AssertionError("no command " + scope + ":" + function);
        }
        Object commands = context.getService(refs[0]);
        try {
            for (Method m : commands.getClass().getMethods()) {
                if (!m.getName().equals(function)) {
                    continue;
                }
                int fixed = m.isVarArgs() ? m.getParameterCount() - 1 : m.getParameterCount();
                if (args.length < fixed || !m.isVarArgs() && args.length != fixed) {
                    continue;
                }
                Object[] call = new Object[m.getParameterCount()];
                System.arraycopy(args, 0, call, 0, fixed);
                if (m.isVarArgs()) {
                    call[fixed] = Arrays.copyOfRange(args, fixed, args.length);
                }
                return String.valueOf(m.invoke(commands, call));
            }
        } finally {
            context.ungetService(refs[0]);
        }
        throw new AssertionError("no method " + function + " for " + args.length + " arguments");
    }

    // ---- machine and output ---------------------------------------------------------------------------

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("cpu model unknown");
        } catch (IOException e) {
            return "cpu model unknown";
        }
    }

    /** Process CPU time (all threads), through the platform MBean server. */
    private static long cpuNanos() {
        try {
            return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName("java.lang:type=OperatingSystem"),
                    "ProcessCpuTime")).longValue();
        } catch (Exception e) {
            return 0;
        }
    }

    private int intSetting(String name, int fallback) {
        String v = context.getProperty(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    private void progress(String line) {
        System.out.printf(Locale.ROOT, "[onion-bench %6.1f s] %s%n", (System.nanoTime() - started) / 1e9, line);
        System.out.flush();
    }

    private void section(String title) {
        rows.add(new String[] {"**" + title + "**", "", ""});
    }

    private void row(String figure, String value, String note) {
        rows.add(new String[] {figure, value, note});
    }

    private String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "## Part 2: direct and anonymous gets, %d nodes over UDP loopback in one Felix framework%n%n", nodes));
        out.append("| figure | value | how |\n|---|---|---|\n");
        for (String[] r : rows) {
            out.append("| ").append(r[0]).append(" | ").append(r[1].replace("|", "/")).append(" | ").append(r[2].replace("|", "/")).append(" |\n");
        }
        for (String n : notes) {
            out.append("\n- ").append(n);
        }
        return out.append('\n').toString();
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return percentile(s, 50);
    }
}
