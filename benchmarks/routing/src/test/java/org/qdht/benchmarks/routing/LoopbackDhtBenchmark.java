package org.qdht.benchmarks.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.NodeId;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.Routing;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportStats;
import org.qdht.testsupport.Testnet;

/**
 * A loopback benchmark of the DHT: {@code bench.nodes} (50) real server nodes in this one Felix
 * framework, each with its own UDP socket on 127.0.0.1, the default suite (X-Wing + ML-DSA-65),
 * secure channels and Kademlia routing (k = 20, alpha = 3) bootstrapped through the first node.
 * Measures heap per node, lookup latency and throughput, bytes per lookup, put/get latency and the
 * cost of joining, prints them as a Markdown table and writes it to {@code bench.out}.
 *
 * <p>A benchmark runner, not a test: it asserts only that every lookup, put and get succeeded and
 * that the network formed; never anything about a time.
 */
class LoopbackDhtBenchmark {
    private static final int K = 20;
    private static final int ALPHA = 3;
    private static final long OP_TIMEOUT_SECONDS = 60;
    /** The routing bundle's default operation timeout: each lookup keeps a timer task that long. */
    private static final long ROUTING_OPERATION_TIMEOUT_SECONDS = 30;

    @InjectBundleContext
    static BundleContext context;
    @InjectService
    static ConfigurationAdmin cm;

    private final long started = System.nanoTime();
    private final Random random = new Random(20_260_101);
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private int nodes;
    private int settleSeconds;
    private int difficulty;
    private Testnet net;
    private String[] names;
    private Routing[] routings;
    private Dht[] dhts;
    private NodeIdentity[] identities;
    private Transport[] udps;

    @Test
    void run() throws Exception {
        nodes = intSetting("bench.nodes", 50);
        difficulty = intSetting("bench.puzzleDifficulty", 16);
        int basePort = intSetting("bench.basePort", 5000);
        int warmup = intSetting("bench.warmupLookups", 1000);
        int lookups = intSetting("bench.lookups", 2000);
        int traces = intSetting("bench.traceLookups", 200);
        int concurrency = intSetting("bench.concurrency", 16);
        int puts = intSetting("bench.puts", 200);
        int gets = intSetting("bench.gets", 1000);
        int valueSize = intSetting("bench.valueSize", 256);
        int idleSeconds = intSetting("bench.idleSeconds", 5);
        settleSeconds = intSetting("bench.settleSeconds", (int) ROUTING_OPERATION_TIMEOUT_SECONDS + 2);
        String out = context.getProperty("bench.out");

        machine(basePort, concurrency);
        net = new Testnet(context, cm, basePort, difficulty);
        try {
            int failures = measure(warmup, lookups, traces, concurrency, puts, gets, valueSize, idleSeconds);
            String table = table();
            System.out.println();
            System.out.println(table);
            if (out != null && !out.isBlank()) {
                Path file = Path.of(out);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, table, StandardCharsets.UTF_8);
                progress("wrote " + file.toAbsolutePath());
            }
            assertEquals(0, failures, "every lookup, put and get succeeds (see the table)");
        } finally {
            progress("stopping the nodes");
            net.close();
        }
    }

    // ---- the phases -------------------------------------------------------------------------------

    private int measure(int warmup, int lookups, int traces, int concurrency, int puts, int gets, int valueSize, int idleSeconds)
            throws Exception {
        int failures = 0;
        Map<String, Long> kernelStart = kernelUdp();
        // quiet console: the nodes log every session at INFO; warnings and errors still show
        net.configure("org.qdht.log.console", "org.qdht.node.internal.ConsoleLog", Map.of("level", "WARN"));
        // settings shared by every node; all nodes share 127.0.0.1, so the per-host handshake limit is raised
        net.configure("org.qdht.transport.udp", "org.qdht.transport.udp.internal.UdpTransportComponent", Map.of("bindAddress", "127.0.0.1"));
        net.configure("org.qdht.channel", "org.qdht.channel.internal.ChannelComponent", Map.of("minPeerPuzzleDifficulty", difficulty,
                "handshakesPerSecondPerHost", 10_000.0, "handshakeBurstPerHost", 10_000));
        Map<String, Object> kademlia = new HashMap<>();
        kademlia.put("bootstrap", new String[] {net.bootstrapAddress()});
        kademlia.put("k", K);
        kademlia.put("alpha", ALPHA);
        kademlia.put("minPublisherPuzzleDifficulty", difficulty);
        net.configure("org.qdht.routing.kademlia", "org.qdht.routing.kademlia.internal.KademliaComponent", kademlia);

        // 1. heap before any node exists
        long heapBefore = usedHeapAfterGc();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        progress(String.format("heap used before the nodes: %.1f MB, %d threads", heapBefore / 1e6, threadsBefore));

        // 5. joining: create the nodes one after the other, each joins through n00 as soon as it exists
        names = new String[nodes];
        double[] createMillis = new double[nodes];
        long cpuJoin0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < nodes; i++) {
            names[i] = String.format("n%02d", i);
            long c0 = System.nanoTime();
            net.addNode(names[i], i, Map.of());
            createMillis[i] = (System.nanoTime() - c0) / 1e6;
            if ((i + 1) % 10 == 0 || i + 1 == nodes) {
                progress(String.format("%d/%d nodes created (identity with %d-bit puzzle, channel, store); last took %.0f ms",
                        i + 1, nodes, difficulty, createMillis[i]));
            }
        }
        double createdSeconds = (System.nanoTime() - t0) / 1e9;
        for (String name : names) {
            Testnet.awaitTrue(() -> !net.udp(name).localAddresses().isEmpty(), "node " + name
                    + " with a bound UDP socket (is another process using ports " + net.bootstrapAddress() + " and up? set BENCH_BASE_PORT)",
                    Duration.ofSeconds(10));
        }
        routings = new Routing[nodes];
        int threshold = Math.min(K, nodes - 1);
        long lastPrint = 0;
        boolean allJoined = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            int ready = 0;
            for (int i = 0; i < nodes; i++) {
                if (routings[i] == null) {
                    routings[i] = net.service(Routing.class, names[i]).orElse(null);
                }
                if (routings[i] != null && routings[i].size() >= threshold) {
                    ready++;
                }
            }
            if (ready == nodes) {
                allJoined = true;
                break;
            }
            if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                lastPrint = System.nanoTime();
                progress(String.format("waiting for the tables: %d/%d nodes have >= %d peers", ready, nodes, threshold));
            }
            Thread.sleep(50);
        }
        double joinedSeconds = (System.nanoTime() - t0) / 1e9;
        double joinCpuSeconds = (cpuNanos() - cpuJoin0) / 1e9;
        Snapshot afterJoin = snapshot();
        int joinedFlags = afterJoin.joinedNodes;
        progress(String.format("%s after %.1f s (%d/%d nodes report 'joined'); %d handshakes so far",
                allJoined ? "every node has >= " + threshold + " peers" : "NOT every node reached " + threshold + " peers",
                joinedSeconds, joinedFlags, nodes, afterJoin.handshakes()));
        if (!allJoined) {
            failures++;
        }
        dhts = new Dht[nodes];
        identities = new NodeIdentity[nodes];
        Transport[] transports = new Transport[nodes];
        for (int i = 0; i < nodes; i++) {
            routings[i] = net.routing(names[i]);
            dhts[i] = net.dht(names[i]);
            identities[i] = net.identity(names[i]);
            transports[i] = net.udp(names[i]);
        }
        udps = transports;
        int[] tableAtJoin = tableSizes();

        // settle: let the joins' last answers and admission checks finish, then measure the heap
        Thread.sleep(2_000);
        Snapshot settled = snapshot();
        long heapJoined = usedHeapAfterGc();
        int threadsJoined = ManagementFactory.getThreadMXBean().getThreadCount();
        progress(String.format("heap used with %d nodes: %.1f MB (%.2f MB per node), %d threads", nodes, heapJoined / 1e6,
                (heapJoined - heapBefore) / 1e6 / nodes, threadsJoined));
        progress(String.format("waiting %d s (bench.settleSeconds) before the lookups", settleSeconds));
        Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds));
        long heapJoinedLater = usedHeapAfterGc();
        progress(String.format("heap used with %d nodes %d s later: %.1f MB (%.2f MB per node)", nodes, settleSeconds,
                heapJoinedLater / 1e6, (heapJoinedLater - heapBefore) / 1e6 / nodes));

        section("Machine and run");
        row("machine", String.format("%d cores (`nproc`), %s", Runtime.getRuntime().availableProcessors(), cpuModel()), "");
        row("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", GC "
                + String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList())
                + String.format(", max heap %.0f MB", Runtime.getRuntime().maxMemory() / 1e6), "");
        row("network", String.format("%d server nodes, one Felix framework, UDP on 127.0.0.1 ports %d-%d", nodes, intSetting("bench.basePort", 5000),
                intSetting("bench.basePort", 5000) + 2 * (nodes - 1)), "");
        row("suite, puzzle", String.format("%s (node default), NodeId puzzle %d bits", identities[0].suite().name(), difficulty),
                "channel minPeerPuzzleDifficulty and kademlia minPublisherPuzzleDifficulty = " + difficulty);
        row("Kademlia", String.format("k=%d, alpha=%d, 1 path, quorum 2 (defaults)", K, ALPHA), "bootstrap through n00");
        int firstBitOne = 0;
        for (NodeIdentity id : identities) {
            firstBitOne += (id.nodeId().bytes()[0] & 0x80) != 0 ? 1 : 0;
        }
        row("NodeIds by first bit", String.format("%d / %d", nodes - firstBitOne, firstBitOne), String.format("a node's bucket 0 (the other half) "
                + "is full when the other half has more than k=%d nodes: %s", K, nodes - firstBitOne > K && firstBitOne > K
                        ? "here in both halves" : nodes - firstBitOne > K || firstBitOne > K ? "here in one half" : "not here"));

        // 1. memory
        section("1. Memory");
        row("heap used per node, just joined", String.format("**%.2f MB**", (heapJoined - heapBefore) / 1e6 / nodes),
                String.format("(used after GC, 2 s after every node had joined, %d nodes %.1f MB - before any node %.1f MB) / %d", nodes, heapJoined / 1e6,
                        heapBefore / 1e6, nodes));
        row("heap used per node, " + settleSeconds + " s later", String.format("**%.2f MB**", (heapJoinedLater - heapBefore) / 1e6 / nodes),
                String.format("the same %d s later (bench.settleSeconds): after %d s the timeout tasks of the join's lookups and requests, "
                        + "kept %d s after they finished, have expired", settleSeconds, ROUTING_OPERATION_TIMEOUT_SECONDS + 1,
                        ROUTING_OPERATION_TIMEOUT_SECONDS));
        row("threads per node", String.format("%.1f", (threadsJoined - threadsBefore) / (double) nodes),
                String.format("%d threads before, %d after", threadsBefore, threadsJoined));
        int[] tableJoined = tableSizes();
        row("routing table per node after join", summary(tableJoined), "peers (of " + (nodes - 1) + " others); >= " + threshold + " was the join condition");
        row("sessions per node after join", String.format("%.1f", settled.sessions / (double) nodes), "open secure sessions, both ends counted");

        // 2. lookups: warm-up (JIT, sessions), then sequential and concurrent
        progress("warm-up: " + warmup + " lookups, " + concurrency + " in flight");
        Phase warm = concurrent(warmup, concurrency, this::randomLookup, LoopbackDhtBenchmark::fullLookup);
        failures += warm.failures;
        int[] tableAfterWarmup = tableSizes();
        progress(String.format("warm-up done in %.1f s (%d failed); tables now %s", warm.wallSeconds, warm.failures, summary(tableAfterWarmup)));

        progress("idle " + idleSeconds + " s: background traffic");
        Snapshot idle0 = snapshot();
        Thread.sleep(idleSeconds * 1000L);
        Snapshot idle1 = snapshot();
        Delta idle = idle1.minus(idle0);
        progress(String.format("idle: %,.0f B/s UDP, %,.0f PING/s, CPU busy %.0f%%", idle.udpOut / idle.seconds(),
                idle.dht("request-ping") / idle.seconds(), idle.cpuBusy()));

        progress(lookups + " sequential lookups from random nodes");
        Snapshot s0 = snapshot();
        Phase seq = sequential(lookups, this::randomLookup, LoopbackDhtBenchmark::fullLookup);
        Snapshot s1 = snapshot();
        Delta lk = s1.minus(s0);
        failures += seq.failures;
        progress(String.format("sequential lookups: median %.2f ms, p95 %.2f ms, %d failed, %d short, %d handshakes during the phase",
                seq.percentile(50), seq.percentile(95), seq.failures, seq.short_, lk.handshakes));

        progress(lookups + " lookups with " + concurrency + " in flight");
        Snapshot c0 = snapshot();
        Phase conc = concurrent(lookups, concurrency, this::randomLookup, LoopbackDhtBenchmark::fullLookup);
        Snapshot c1 = snapshot();
        Delta ck = c1.minus(c0);
        failures += conc.failures;
        progress(String.format("concurrent lookups: %.0f lookups/s, median %.2f ms", lookups / conc.wallSeconds, conc.percentile(50)));
        long heapAfterLoad = usedHeapAfterGc();

        progress(traces + " traced lookups (qdht:lookup) for hops and requests");
        double[] hops = new double[traces];
        double[] requests = new double[traces];
        int traceFailures = 0;
        for (int i = 0; i < traces; i++) {
            String out = command("qdht", "lookup", names[random.nextInt(nodes)], randomId().toHex());
            Matcher m = Pattern.compile("(\\d+) peers in [\\d.,]+ ms, (\\d+) hops, (\\d+) requests, (\\d+) answers, (\\d+) failed").matcher(out);
            if (m.find()) {
                hops[i] = Integer.parseInt(m.group(2));
                requests[i] = Integer.parseInt(m.group(3));
                traceFailures += Integer.parseInt(m.group(5)) > 0 ? 1 : 0;
            } else {
                traceFailures++;
                notes.add("qdht:lookup printed something unexpected: " + out.lines().findFirst().orElse(""));
            }
        }

        section("2. Lookups (`Routing.lookup(random id, 20)` from a random node)");
        row("latency, sequential", String.format("median **%.2f ms**, p95 %.2f ms, p99 %.2f ms, mean %.2f ms, max %.1f ms", seq.percentile(50),
                seq.percentile(95), seq.percentile(99), seq.mean(), seq.max()),
                String.format("%d lookups after %d warm-up lookups; %d failed, %d with fewer than 20 peers", lookups, warmup, seq.failures, seq.short_));
        row("throughput, " + concurrency + " in flight", String.format("**%.0f lookups/s**", lookups / conc.wallSeconds),
                String.format("%d lookups in %.1f s; latency median %.2f ms, p95 %.2f ms; %d failed", lookups, conc.wallSeconds,
                        conc.percentile(50), conc.percentile(95), conc.failures));
        row("throughput, sequential", String.format("%.0f lookups/s", lookups / seq.wallSeconds), "one in flight");
        row("CPU per lookup", String.format("%.2f ms sequential, %.2f ms with %d in flight", lk.cpuNanos / 1e6 / lookups, ck.cpuNanos / 1e6 / lookups, concurrency),
                String.format("process CPU time / lookups (all %d nodes' work: both ends, crypto, UDP, and the background below); "
                        + "CPU busy %.0f%% / %.0f%% of %d cores, %.0f%% when idle", nodes, lk.cpuBusy(), ck.cpuBusy(), cores(), idle.cpuBusy()));
        row("requests per lookup", String.format("**%.1f** FIND_NODE", lk.dht("request-findnode") / (double) lookups),
                "received by all nodes during the sequential phase / lookups; all requests: " + requestMix(lk, lookups, "lookup"));
        row("hops, requests per lookup (traced)", String.format("hops median %.0f, mean %.2f; requests median %.0f, mean %.1f", median(hops), mean(hops),
                median(requests), mean(requests)), String.format("%d lookups through `qdht:lookup`; %d had a failed request", traces, traceFailures));

        // 3. bytes per lookup (sequential phase: sessions are open)
        section("3. Bytes per lookup (sequential phase, sessions open)");
        row("UDP transport bytes per lookup", String.format("**%,.0f B** sent (%,.0f B received)", lk.udpOut / (double) lookups, lk.udpIn / (double) lookups),
                "sum over all nodes of `TransportStats.bytesOut` (channel packets; no fragment, UDP or IP headers) / lookups");
        row("UDP datagrams per lookup", String.format("%.1f transport datagrams, %.1f kernel UDP datagrams", lk.udpDatagramsOut / (double) lookups,
                lk.kernelUdpOut / (double) lookups), "kernel: `/proc/net/snmp` Udp OutDatagrams, machine-wide (fragments counted)");
        row("IPv4 bytes per lookup (estimate)", String.format("%,.0f B", (lk.udpOut + 37.0 * lk.kernelUdpOut) / lookups),
                "transport bytes + (9 fragment + 8 UDP + 20 IPv4 header) per kernel datagram");
        row("DHT payload bytes per lookup", String.format("**%,.0f B**", lk.dht("bytes-sent") / (double) lookups),
                String.format("sum of `bytes-sent` of `qdht:dht` (encoded requests + answers); channel overhead %.0f%%",
                        100.0 * (lk.udpOut - lk.dht("bytes-sent")) / Math.max(1, lk.dht("bytes-sent"))));
        row("per request", String.format("%,.0f B DHT payload, %,.0f B on UDP", lk.dht("bytes-sent") / Math.max(1.0, lk.requests()),
                lk.udpOut / Math.max(1.0, lk.requests())), "request + answer");
        row("background traffic (no operation running)", String.format("%,.0f B/s UDP, %,.0f B/s DHT, %,.0f requests/s (%,.0f PING/s)",
                idle.udpOut / idle.seconds(), idle.dht("bytes-sent") / idle.seconds(), idle.requests() / idle.seconds(),
                idle.dht("request-ping") / idle.seconds()), String.format("all %d nodes, idle %d s before the phase; at that rate it makes "
                        + "%.0f%% of the phase's UDP bytes; CPU busy %.0f%% of %d cores while idle", nodes, idleSeconds,
                        100.0 * idle.udpOut / idle.seconds() * lk.seconds() / Math.max(1, lk.udpOut), idle.cpuBusy(), cores()));
        row("UDP / DHT bytes per lookup minus background", String.format("%,.0f B / %,.0f B",
                Math.max(0, lk.udpOut - idle.udpOut / idle.seconds() * lk.seconds()) / lookups,
                Math.max(0, lk.dht("bytes-sent") - idle.dht("bytes-sent") / idle.seconds() * lk.seconds()) / lookups),
                "the phase's bytes less the idle rate x the phase's duration: rough, the background rate changes under load");

        // 4. put and get
        progress(puts + " puts of " + valueSize + "-byte signed values from random nodes");
        List<Integer> putters = new ArrayList<>();
        List<Record> records = new ArrayList<>();
        double[] signMillis = new double[puts];
        for (int i = 0; i < puts; i++) {
            int node = random.nextInt(nodes);
            byte[] value = new byte[valueSize];
            random.nextBytes(value);
            long t = System.nanoTime();
            records.add(sign(identities[node], "bench-value-" + i, value, 1));
            signMillis[i] = (System.nanoTime() - t) / 1e6;
            putters.add(node);
        }
        int[] copies = new int[puts];
        Snapshot p0 = snapshot();
        Phase put = sequential(puts, i -> dhts[putters.get(i)].put(records.get(i)).toCompletableFuture().thenApply(n -> {
            copies[i] = n;
            return n;
        }), n -> n >= 1);
        Snapshot p1 = snapshot();
        Delta pk = p1.minus(p0);
        failures += put.failures;
        progress(String.format("puts: median %.2f ms, %d failed", put.percentile(50), put.failures));

        progress(gets + " gets of random stored names from random nodes, sequential");
        int[] getKey = new int[gets];
        int[] getNode = new int[gets];
        for (int i = 0; i < gets; i++) {
            getKey[i] = random.nextInt(puts);
            getNode[i] = random.nextInt(nodes);
        }
        Snapshot g0 = snapshot();
        Phase get = sequential(gets, i -> getChecked(getNode[i], records.get(getKey[i])), ok -> ok);
        Snapshot g1 = snapshot();
        Delta gk = g1.minus(g0);
        failures += get.failures;
        progress(String.format("gets: median %.2f ms, %d/%d found", get.percentile(50), gets - get.failures, gets));
        progress(gets + " gets with " + concurrency + " in flight");
        Phase cget = concurrent(gets, concurrency, i -> getChecked(random.nextInt(nodes), records.get(random.nextInt(puts))), ok -> ok);
        failures += cget.failures;

        section("4. Put and get (" + valueSize + "-byte values, signed records)");
        row("put latency", String.format("median **%.2f ms**, p95 %.2f ms, mean %.2f ms", put.percentile(50), put.percentile(95), put.mean()),
                String.format("%d puts, sequential, from random nodes; %d/%d succeeded; copies stored median %.0f (min %.0f); signing "
                        + "(not in the latency) median %.2f ms", puts, puts - put.failures, puts, median(asDoubles(copies)),
                        Arrays.stream(copies).min().orElse(0) * 1.0, median(signMillis)));
        row("get latency", String.format("median **%.2f ms**, p95 %.2f ms, mean %.2f ms", get.percentile(50), get.percentile(95), get.mean()),
                String.format("%d gets of random stored names from random nodes, sequential; **%d/%d found** with the value put", gets,
                        gets - get.failures, gets));
        row("gets per second, " + concurrency + " in flight", String.format("**%.0f gets/s**", gets / cget.wallSeconds),
                String.format("latency median %.2f ms, p95 %.2f ms; %d/%d found", cget.percentile(50), cget.percentile(95), gets - cget.failures, gets));
        row("ratio get / lookup (median, sequential)", String.format("%.2f", get.percentile(50) / seq.percentile(50)), "a get stops at quorum 2, "
                + "and stores a copy at the closest peer that lacked the record");
        row("bytes per put", String.format("%,.0f B UDP, %,.0f B DHT payload (%,.0f B / %,.0f B minus background)", pk.udpOut / (double) puts,
                pk.dht("bytes-sent") / (double) puts, Math.max(0, pk.udpOut - idle.udpOut / idle.seconds() * pk.seconds()) / puts,
                Math.max(0, pk.dht("bytes-sent") - idle.dht("bytes-sent") / idle.seconds() * pk.seconds()) / puts),
                "requests: " + requestMix(pk, puts, "put"));
        row("bytes per get", String.format("%,.0f B UDP, %,.0f B DHT payload (%,.0f B / %,.0f B minus background)", gk.udpOut / (double) gets,
                gk.dht("bytes-sent") / (double) gets, Math.max(0, gk.udpOut - idle.udpOut / idle.seconds() * gk.seconds()) / gets,
                Math.max(0, gk.dht("bytes-sent") - idle.dht("bytes-sent") / idle.seconds() * gk.seconds()) / gets),
                "requests: " + requestMix(gk, gets, "get"));

        // 5. joining
        section("5. Joining");
        row("time until every node has >= " + threshold + " peers", String.format("**%.1f s**", joinedSeconds),
                String.format("from the first node's configuration; nodes created one after the other (%.1f s for all %d)", createdSeconds, nodes));
        row("node creation", String.format("median %.0f ms, max %.0f ms", median(createMillis), Arrays.stream(createMillis).max().orElse(0)),
                "ConfigAdmin configuration until identity (" + difficulty + "-bit puzzle), channel and store are registered");
        row("handshakes until joined", String.format("%d (%d IK, %d XX), %.1f per node", afterJoin.handshakes(), afterJoin.channel("handshakes-ik"),
                afterJoin.channel("handshakes-xx"), afterJoin.handshakes() / (double) nodes), "completed, counted by initiators (`channel:stats`)");
        row("bytes until joined", String.format("%,.0f B UDP per node", afterJoin.udpOut / (double) nodes),
                String.format("%,.0f B DHT payload per node", afterJoin.dht("bytes-sent") / (double) nodes));
        row("CPU until joined", String.format("%.1f s", joinCpuSeconds), String.format("%.0f ms per node: identity, puzzle, handshakes, join lookups", joinCpuSeconds * 1000 / nodes));
        row("routing table per node", "at join " + summary(tableAtJoin), "after the warm-up lookups " + summary(tableAfterWarmup));
        row("handshakes during measurements", String.format("%d in the sequential lookups, %d in the concurrent ones", lk.handshakes, ck.handshakes),
                String.format("sessions per node at the end %.1f", snapshot().sessions / (double) nodes));

        // memory after the load
        long heapEnd = usedHeapAfterGc();
        progress(String.format("waiting %d s for the lookups' timeout tasks to expire", ROUTING_OPERATION_TIMEOUT_SECONDS + 2));
        Snapshot wait0 = snapshot();
        Thread.sleep(TimeUnit.SECONDS.toMillis(ROUTING_OPERATION_TIMEOUT_SECONDS + 2));
        Snapshot end = snapshot();
        Delta lateIdle = end.minus(wait0);
        long heapLater = usedHeapAfterGc();
        section("1b. Memory after the load");
        row("heap used per node after the concurrent lookups", String.format("%.2f MB", (heapAfterLoad - heapBefore) / 1e6 / nodes),
                "measured at once after " + lookups + " concurrent lookups");
        row("heap used per node at the end", String.format("%.2f MB, %.2f MB %d s later", (heapEnd - heapBefore) / 1e6 / nodes,
                (heapLater - heapBefore) / 1e6 / nodes, ROUTING_OPERATION_TIMEOUT_SECONDS + 2),
                String.format("with %d records x copies stored (%.0f records per node)", puts, end.records / (double) nodes));
        row("routing table per node at the end", summary(tableSizes()), "");
        row("background traffic at the end", String.format("%,.0f B/s UDP, %,.0f requests/s (%,.0f PING/s), CPU busy %.0f%%",
                lateIdle.udpOut / lateIdle.seconds(), lateIdle.requests() / lateIdle.seconds(), lateIdle.dht("request-ping") / lateIdle.seconds(),
                lateIdle.cpuBusy()), String.format("no operation running, the last %.0f s of the run", lateIdle.seconds()));
        row("node pairs missing from both tables", String.format("%d of %d pairs", mutuallyAbsentPairs(), nodes * (nodes - 1) / 2),
                "pairs where neither node has the other in its routing table (full buckets)");
        row("busiest sessions (whole run)", busiestSessions(3), "bytes in + out of one secure session (`channel:sessions`), and whether "
                + "the two nodes are in each other's routing table");

        section("Counters (sum over all nodes, whole run)");
        row("Kademlia (`qdht:dht`)", nonZero(end.dht, "request-", "bytes-", "lookups", "record-stored", "store-sent-accepted"), "");
        row("channel (`channel:stats`)", nonZero(end.channel), "");
        row("UDP transport rejected", end.udpRejected.isEmpty() ? "none" : end.udpRejected.toString(), "");
        row("kernel UDP (machine-wide, during the run)", String.format("RcvbufErrors %d, InErrors %d, OutDatagrams %,d",
                end.kernel.getOrDefault("RcvbufErrors", 0L) - kernelStart.getOrDefault("RcvbufErrors", 0L),
                end.kernel.getOrDefault("InErrors", 0L) - kernelStart.getOrDefault("InErrors", 0L),
                end.kernel.getOrDefault("OutDatagrams", 0L) - kernelStart.getOrDefault("OutDatagrams", 0L)),
                "`/proc/net/snmp`: receive-buffer drops would mean lost packets");
        if (idle.dht("request-ping") / idle.seconds() > 1_000 || lateIdle.dht("request-ping") / lateIdle.seconds() > 1_000) {
            notes.add(String.format("**Background PING storm**: %,.0f PING/s with no operation running (%,.0f PING/s at the end), %d node pairs "
                    + "missing from both tables. Every figure above that involves time or bytes is inflated by it (see README.md, "
                    + "\"the admission-ping loop\").", idle.dht("request-ping") / idle.seconds(), lateIdle.dht("request-ping") / lateIdle.seconds(),
                    mutuallyAbsentPairs()));
        }
        progress(String.format("done in %.0f s", (System.nanoTime() - started) / 1e9));
        return failures;
    }

    // ---- operations -------------------------------------------------------------------------------

    private CompletableFuture<List<PeerInfo>> randomLookup(int i) {
        int node = random.nextInt(nodes);
        return routings[node].lookup(randomId(), K).toCompletableFuture();
    }

    private static boolean fullLookup(List<PeerInfo> peers) {
        return !peers.isEmpty();
    }

    private CompletableFuture<Boolean> getChecked(int node, Record expected) {
        return dhts[node].get(expected.key()).toCompletableFuture()
                .thenApply(found -> found.isPresent() && Arrays.equals(found.get().value(), expected.value()));
    }

    private synchronized NodeId randomId() {
        byte[] id = new byte[NodeId.LENGTH];
        random.nextBytes(id);
        return NodeId.of(id);
    }

    static Record sign(NodeIdentity identity, String name, byte[] value, long version) throws Exception {
        Record unsigned = Record.unsigned(DhtKey.ofName(name), value, version, System.currentTimeMillis() + 3_600_000, identity.nodeId(),
                identity.suite(), identity.signingKey().keyId(), false);
        return unsigned.withSignature(identity.sign(unsigned.toBeSigned()).bytes());
    }

    /** Latencies of one phase, in ms, and how many operations failed. */
    private static final class Phase {
        final double[] millis;
        int failures;
        int short_;
        double wallSeconds;
        private double[] sorted;

        Phase(int n) {
            millis = new double[n];
        }

        double percentile(double p) {
            if (sorted == null) {
                sorted = millis.clone();
                Arrays.sort(sorted);
            }
            return LoopbackDhtBenchmark.percentile(sorted, p);
        }

        double mean() {
            return LoopbackDhtBenchmark.mean(millis);
        }

        double max() {
            return Arrays.stream(millis).max().orElse(0);
        }
    }

    private <T> Phase sequential(int n, IntFunction<CompletableFuture<T>> op, Predicate<T> ok) {
        Phase phase = new Phase(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            try {
                T result = op.apply(i).get(OP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                phase.millis[i] = (System.nanoTime() - t) / 1e6;
                if (!ok.test(result)) {
                    phase.failures++;
                } else if (result instanceof List<?> l && l.size() < Math.min(K, nodes - 1)) {
                    phase.short_++;
                }
            } catch (Exception e) {
                phase.millis[i] = (System.nanoTime() - t) / 1e6;
                phase.failures++;
                failure(e);
            }
        }
        phase.wallSeconds = (System.nanoTime() - t0) / 1e9;
        return phase;
    }

    private <T> Phase concurrent(int n, int inFlight, IntFunction<CompletableFuture<T>> op, Predicate<T> ok) throws InterruptedException {
        Phase phase = new Phase(n);
        Semaphore slots = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger shortResults = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            final int index = i;
            long t = System.nanoTime();
            CompletableFuture<T> f;
            try {
                f = op.apply(i);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.orTimeout(OP_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((result, error) -> {
                phase.millis[index] = (System.nanoTime() - t) / 1e6;
                if (error != null) {
                    failed.incrementAndGet();
                    failure(error);
                } else if (!ok.test(result)) {
                    failed.incrementAndGet();
                } else if (result instanceof List<?> l && l.size() < Math.min(K, nodes - 1)) {
                    shortResults.incrementAndGet();
                }
                slots.release();
                done.countDown();
            });
        }
        if (!done.await(OP_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS)) {
            notes.add("a concurrent phase did not finish in time");
        }
        phase.wallSeconds = (System.nanoTime() - t0) / 1e9;
        phase.failures = failed.get();
        phase.short_ = shortResults.get();
        return phase;
    }

    private final Map<String, Integer> failureKinds = new TreeMap<>();

    private synchronized void failure(Throwable e) {
        Throwable t = e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
        String kind = t == null ? String.valueOf(e) : t.getClass().getSimpleName() + ": " + t.getMessage();
        if (failureKinds.merge(kind, 1, Integer::sum) == 1) {
            progress("failure: " + kind);
        }
    }

    // ---- counters -----------------------------------------------------------------------------------

    private static final Pattern DHT_HEADER = Pattern.compile("^(\\S+): (joined|not joined), (\\d+) peers, (\\d+) records");
    private static final Pattern CHANNEL_HEADER = Pattern.compile("^(\\S+): (\\d+) sessions");

    /** Counters of every node, summed. */
    private final class Snapshot {
        final long nanos = System.nanoTime();
        final long cpuNanos = cpuNanos();
        long udpOut;
        long udpIn;
        long udpDatagramsOut;
        final Map<String, Long> udpRejected = new TreeMap<>();
        final Map<String, Long> dht = new TreeMap<>();
        final Map<String, Long> channel = new TreeMap<>();
        final Map<String, Long> kernel = kernelUdp();
        int joinedNodes;
        long records;
        long sessions;

        Snapshot() throws Exception {
            if (udps != null) {
                for (Transport t : udps) {
                    TransportStats s = t.stats();
                    udpOut += s.bytesOut();
                    udpIn += s.bytesIn();
                    udpDatagramsOut += s.datagramsOut();
                    s.rejected().forEach((k, v) -> udpRejected.merge(k, v, Long::sum));
                }
            } else {
                for (String name : names) {
                    TransportStats s = net.udp(name).stats();
                    udpOut += s.bytesOut();
                    udpIn += s.bytesIn();
                    udpDatagramsOut += s.datagramsOut();
                }
            }
            for (String line : command("qdht", "dht").split("\n")) {
                Matcher m = DHT_HEADER.matcher(line);
                if (m.find()) {
                    joinedNodes += m.group(2).equals("joined") ? 1 : 0;
                    records += Long.parseLong(m.group(4));
                } else {
                    addCounter(dht, line);
                }
            }
            for (String line : command("channel", "stats").split("\n")) {
                Matcher m = CHANNEL_HEADER.matcher(line);
                if (m.find()) {
                    sessions += Long.parseLong(m.group(2));
                } else {
                    addCounter(channel, line);
                }
            }
        }

        long dht(String name) {
            return dht.getOrDefault(name, 0L);
        }

        long channel(String name) {
            return channel.getOrDefault(name, 0L);
        }

        long handshakes() {
            return channel("handshakes-ik") + channel("handshakes-xx");
        }

        Delta minus(Snapshot before) {
            Delta d = new Delta();
            d.udpOut = udpOut - before.udpOut;
            d.udpIn = udpIn - before.udpIn;
            d.udpDatagramsOut = udpDatagramsOut - before.udpDatagramsOut;
            d.cpuNanos = cpuNanos - before.cpuNanos;
            d.wallNanos = nanos - before.nanos;
            d.kernelUdpOut = kernel.getOrDefault("OutDatagrams", 0L) - before.kernel.getOrDefault("OutDatagrams", 0L);
            d.handshakes = handshakes() - before.handshakes();
            dht.forEach((k, v) -> d.dht.put(k, v - before.dht(k)));
            return d;
        }
    }

    private Snapshot snapshot() throws Exception {
        return new Snapshot();
    }

    private static final class Delta {
        long udpOut;
        long udpIn;
        long udpDatagramsOut;
        long cpuNanos;
        long kernelUdpOut;
        long handshakes;
        long wallNanos;
        final Map<String, Long> dht = new TreeMap<>();

        double seconds() {
            return wallNanos / 1e9;
        }

        /** Process CPU time as a share of every core's time, in percent. */
        double cpuBusy() {
            return 100.0 * cpuNanos / Math.max(1, wallNanos) / cores();
        }

        long dht(String name) {
            return dht.getOrDefault(name, 0L);
        }

        long requests() {
            return dht.entrySet().stream().filter(e -> e.getKey().startsWith("request-")).mapToLong(Map.Entry::getValue).sum();
        }

    }

    /** Requests received by all nodes during a phase, by type, per operation. */
    private static String requestMix(Delta d, int operations, String what) {
        StringBuilder out = new StringBuilder();
        d.dht.forEach((k, v) -> {
            if (k.startsWith("request-") && v > 0) {
                out.append(out.length() == 0 ? "" : ", ").append(String.format("%.1f %s", v / (double) operations,
                        k.substring("request-".length()).toUpperCase(Locale.ROOT).replace("FINDNODE", "FIND_NODE").replace("FINDVALUE", "FIND_VALUE")));
            }
        });
        return (out.length() == 0 ? "none" : out) + " per " + what;
    }

    /**
     * The sessions that carried the most bytes, from {@code channel:sessions}, with the share of all
     * session bytes that went between nodes missing from each other's table.
     */
    private String busiestSessions(int top) throws Exception {
        Map<String, Integer> byIdPrefix = new HashMap<>();
        List<java.util.Set<NodeId>> known = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            byIdPrefix.put(routings[i].self().toHex().substring(0, 16), i);
            known.add(routings[i].knownPeers().stream().map(PeerInfo::nodeId).collect(java.util.stream.Collectors.toSet()));
        }
        List<long[]> sessions = new ArrayList<>(); // node, peer, bytes
        long total = 0;
        long absent = 0;
        for (String line : command("channel", "sessions").split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length < 8 || !t[t.length - 1].matches("\\d+")) {
                continue;
            }
            int node = Arrays.asList(names).indexOf(t[0]);
            Integer peer = byIdPrefix.get(t[1]);
            if (node < 0 || peer == null) {
                continue;
            }
            long bytes = Long.parseLong(t[t.length - 3]) + Long.parseLong(t[t.length - 2]);
            total += bytes;
            boolean mutual = !known.get(node).contains(routings[peer].self()) && !known.get(peer).contains(routings[node].self());
            absent += mutual ? bytes : 0;
            sessions.add(new long[] {node, peer, bytes, mutual ? 1 : 0});
        }
        sessions.sort((a, b) -> Long.compare(b[2], a[2]));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(top, sessions.size()); i++) {
            long[] x = sessions.get(i);
            int a = (int) x[0];
            int b = (int) x[1];
            boolean aKnowsB = known.get(a).contains(routings[b].self());
            boolean bKnowsA = known.get(b).contains(routings[a].self());
            out.append(i == 0 ? "" : "; ").append(String.format("%s-%s %.1f MB (%s)", names[a], names[b], x[2] / 1e6,
                    aKnowsB && bKnowsA ? "in both tables" : !aKnowsB && !bKnowsA ? "in neither table" : "in one table"));
        }
        out.append(String.format("; sessions between nodes in neither table carried %.0f%% of all session bytes", 100.0 * absent / Math.max(1, total)));
        return out.toString();
    }

    /** Pairs of nodes where neither has the other in its routing table. */
    private int mutuallyAbsentPairs() {
        List<java.util.Set<NodeId>> known = new ArrayList<>();
        NodeId[] ids = new NodeId[nodes];
        for (int i = 0; i < nodes; i++) {
            ids[i] = routings[i].self();
            known.add(routings[i].knownPeers().stream().map(PeerInfo::nodeId).collect(java.util.stream.Collectors.toSet()));
        }
        int pairs = 0;
        for (int a = 0; a < nodes; a++) {
            for (int b = a + 1; b < nodes; b++) {
                if (!known.get(a).contains(ids[b]) && !known.get(b).contains(ids[a])) {
                    pairs++;
                }
            }
        }
        return pairs;
    }

    private static void addCounter(Map<String, Long> into, String line) {
        if (!line.startsWith("  ")) {
            return;
        }
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 2 && parts[1].matches("-?\\d+")) {
            into.merge(parts[0], Long.parseLong(parts[1]), Long::sum);
        }
    }

    private static String nonZero(Map<String, Long> counters, String... skipPrefixes) {
        StringBuilder out = new StringBuilder();
        counters.forEach((k, v) -> {
            if (v != 0 && Arrays.stream(skipPrefixes).noneMatch(k::startsWith)) {
                out.append(out.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
            }
        });
        if (skipPrefixes.length > 0) {
            out.append(out.length() == 0 ? "" : "; ").append("traffic: ");
            StringBuilder traffic = new StringBuilder();
            counters.forEach((k, v) -> {
                if (v != 0 && Arrays.stream(skipPrefixes).anyMatch(k::startsWith)) {
                    traffic.append(traffic.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
                }
            });
            out.append(traffic);
        }
        return out.length() == 0 ? "none" : out.toString();
    }

    /** Calls a Gogo command's method through its service (no shell needed), as DhtNetworkIT does. */
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

    // ---- machine -------------------------------------------------------------------------------------

    private void machine(int basePort, int concurrency) {
        progress(String.format("%d server nodes, puzzle %d bits, ports %d-%d, %d cores, %s %s", nodes, difficulty, basePort,
                basePort + 2 * (nodes - 1), cores(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version")));
    }

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

    /** The kernel's UDP counters ({@code /proc/net/snmp}), machine-wide. */
    private static Map<String, Long> kernelUdp() {
        Map<String, Long> out = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith("Udp:")).toList();
            if (lines.size() >= 2) {
                String[] keys = lines.get(0).split("\\s+");
                String[] values = lines.get(1).split("\\s+");
                for (int i = 1; i < Math.min(keys.length, values.length); i++) {
                    out.put(keys[i], Long.parseLong(values[i]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no kernel figures
        }
        return out;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private int[] tableSizes() {
        int[] sizes = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            sizes[i] = routings[i] == null ? 0 : routings[i].size();
        }
        return sizes;
    }

    // ---- output ---------------------------------------------------------------------------------------

    private int intSetting(String name, int fallback) {
        String v = context.getProperty(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    private void progress(String line) {
        System.out.printf(Locale.ROOT, "[routing-bench %6.1f s] %s%n", (System.nanoTime() - started) / 1e9, line);
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
        out.append(String.format(Locale.ROOT, "# qDHT routing benchmark: %d nodes over UDP loopback in one Felix framework%n%n", nodes));
        out.append("| figure | value | how |\n|---|---|---|\n");
        for (String[] r : rows) {
            out.append("| ").append(r[0]).append(" | ").append(r[1].replace("|", "/")).append(" | ").append(r[2].replace("|", "/")).append(" |\n");
        }
        if (!failureKinds.isEmpty()) {
            out.append("\nFailures by kind: ").append(failureKinds).append('\n');
        }
        for (String n : notes) {
            out.append("\n- ").append(n);
        }
        return out.append('\n').toString();
    }

    private static String summary(int[] values) {
        int[] s = values.clone();
        Arrays.sort(s);
        return String.format("min %d, median %d, max %d", s[0], s[s.length / 2], s[s.length - 1]);
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

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double[] asDoubles(int[] values) {
        return Arrays.stream(values).asDoubleStream().toArray();
    }
}
