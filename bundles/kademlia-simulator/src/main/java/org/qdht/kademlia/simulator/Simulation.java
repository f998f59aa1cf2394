package org.qdht.kademlia.simulator;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.qdht.api.NodeId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.RecordStore;
import org.qdht.crypto.bc.Suites;
import org.qdht.kademlia.core.Counters;
import org.qdht.kademlia.core.KademliaParameters;
import org.qdht.kademlia.core.RecordCheck;

/**
 * One simulated network and the workloads run on it: it builds the network by joining nodes in
 * batches, then runs lookups, puts, gets, departures and maintenance rounds, and reports figures.
 * Everything happens on one {@link Scheduler} from one seed, so the same configuration gives the
 * same figures. Single threaded.
 */
public final class Simulation {
    /** Lookups and gets of one batch start at random times over this window, so that they overlap as on a live network. */
    public static final long WORKLOAD_WINDOW_MILLIS = 60_000;
    private static final long RECORD_LIFETIME_MILLIS = 24 * 3_600_000L;
    private static final int VALUE_BYTES = 64;
    /** Bootstrap peers a joining node tries before it gives up. */
    private static final int JOIN_ATTEMPTS = 5;
    /** Per node: enough for every record of a run; the per-publisher quota still bounds one publisher. */
    private static final RecordStore.Limits STORE_LIMITS = new RecordStore.Limits(2_048, 1_024, 256);

    private final SimulationConfig config;
    private final Scheduler scheduler;
    private final SimNetwork network;
    private final AddressPlan addresses;
    private final SuiteVerifier verifier;
    private final RecordCheck check;
    private final CryptoSuite suite;
    private final Adversary adversary;
    private final Random tableRandom;
    private final Map<DhtKey, PublishedRecord> newest = new LinkedHashMap<>();
    private final List<PublisherIdentity> publishers = new ArrayList<>();
    private long buildWallMillis;

    private Simulation(SimulationConfig config) {
        this.config = config;
        this.scheduler = new Scheduler(config.seed());
        this.network = new SimNetwork(scheduler, config.conditions());
        this.addresses = new AddressPlan(scheduler.random(), config.attackerSubnets());
        // hedged ML-DSA signing draws from here; signatures have a fixed size, so figures do not depend on it
        this.suite = Suites.xwingMlDsa65(new SecureRandom());
        this.verifier = new SuiteVerifier(List.of(suite));
        this.check = new RecordCheck(verifier, config.puzzleDifficulty(), 2 * RECORD_LIFETIME_MILLIS, STORE_LIMITS.maxValueBytes());
        this.tableRandom = new Random(scheduler.random().nextLong());
        this.adversary = config.maliciousFraction() > 0
                ? new Adversary(config.attackerDropRate(), config.forgery(), newIdentity())
                : null;
    }

    /** Builds the network of {@code config}: all its nodes join, in batches; {@code progress} hears a line per batch. */
    public static Simulation build(SimulationConfig config, Consumer<String> progress) {
        Simulation s = new Simulation(config);
        long wallStart = System.nanoTime();
        s.joinAll(progress, wallStart);
        s.buildWallMillis = (System.nanoTime() - wallStart) / 1_000_000;
        return s;
    }

    public SimulationConfig config() {
        return config;
    }

    public SimNetwork network() {
        return network;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Optional<Adversary> adversary() {
        return Optional.ofNullable(adversary);
    }

    public SuiteVerifier verifier() {
        return verifier;
    }

    public long buildWallMillis() {
        return buildWallMillis;
    }

    // ---- building ---------------------------------------------------------------------------

    private void joinAll(Consumer<String> progress, long wallStart) {
        boolean[] malicious = chooseMalicious();
        SimNode first = createNode(false);
        first.goOnline();
        int joined = 1;
        while (joined < config.nodes()) {
            // doubling batches: each joiner finds an established network to bootstrap from
            int batch = Math.min(config.nodes() - joined, Math.max(1, Math.min(config.joinBatchCap(), joined)));
            for (int i = 0; i < batch; i++) {
                SimNode node = createNode(malicious[joined + i]);
                SimNode bootstrap = randomLiveHonest();
                scheduler.after(scheduler.random().nextLong(1_000_000), () -> join(node, bootstrap));
            }
            scheduler.runUntilIdle();
            joined += batch;
            if (config.nodes() >= 2_000 || joined == config.nodes()) {
                progress.accept(String.format("built %,d/%,d nodes: %,d messages, %.0f s simulated, %.1f s wall", joined,
                        config.nodes(), network.messages(), scheduler.nowMicros() / 1e6, (System.nanoTime() - wallStart) / 1e9));
            }
        }
    }

    /** Exactly round(fraction x nodes) malicious nodes at seeded random places; the first node is honest. */
    private boolean[] chooseMalicious() {
        int n = config.nodes();
        boolean[] out = new boolean[n];
        int bad = (int) Math.round(config.maliciousFraction() * n);
        for (int i = 0; i < bad; i++) {
            out[n - 1 - i] = true;
        }
        SplittableRandom random = scheduler.random();
        for (int i = n - 1; i > 1; i--) { // Fisher-Yates over 1..n-1
            int j = 1 + random.nextInt(i);
            boolean t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    private SimNode createNode(boolean malicious) {
        byte[] id = new byte[NodeId.LENGTH];
        scheduler.random().nextBytes(id);
        SimNode node = new SimNode(NodeId.of(id), malicious ? addresses.attacker() : addresses.honest(), config.parameters(), check,
                STORE_LIMITS, network, malicious, config.timeoutFactor());
        if (malicious) {
            adversary.recruit(node);
        }
        return node;
    }

    /**
     * Join: a lookup of its own id from the bootstrap peer, then a refresh of every bucket. If no
     * peer answered the lookup (the bootstrap's answer was lost, or it left), the node tries again
     * from another bootstrap peer a second later, as a real node retries its bootstrap list.
     */
    private void join(SimNode node, SimNode bootstrap) {
        node.goOnline();
        bootstrap(node, bootstrap, JOIN_ATTEMPTS);
    }

    private void bootstrap(SimNode node, SimNode bootstrap, int attemptsLeft) {
        new PeerLookupRun(node, node.id(), config.parameters(), List.of(bootstrap.peer())).start(r -> {
            if (((PeerLookupRun) r).result().isEmpty() && attemptsLeft > 1) {
                scheduler.after(1_000_000, () -> bootstrap(node, randomLiveHonestOtherThan(node), attemptsLeft - 1));
            } else {
                Maintenance.refresh(node, config.parameters(), tableRandom, scheduler.nowMillis(), () -> { });
            }
        });
    }

    private SimNode randomLiveHonestOtherThan(SimNode node) {
        while (true) {
            SimNode n = randomLiveHonest();
            if (n != node || network.liveNodes().size() == 1) {
                return n;
            }
        }
    }

    public SimNode randomLiveHonest() {
        while (true) {
            SimNode n = network.randomLive();
            if (!n.isMalicious()) {
                return n;
            }
        }
    }

    /** The live honest node closest to {@code target}, other than {@code except}: what a lookup must find. */
    NodeId closestLiveHonest(NodeId target, NodeId except) {
        NodeId best = null;
        for (SimNode n : network.liveNodes()) {
            if (n.isMalicious() || n.id().equals(except)) {
                continue;
            }
            if (best == null || target.compareDistance(n.id(), best) < 0) {
                best = n.id();
            }
        }
        return best;
    }

    private NodeId randomId() {
        byte[] id = new byte[NodeId.LENGTH];
        scheduler.random().nextBytes(id);
        return NodeId.of(id);
    }

    private PublisherIdentity newIdentity() {
        byte[] seed = new byte[32];
        scheduler.random().nextBytes(seed);
        return new PublisherIdentity(suite, seed, config.puzzleDifficulty());
    }

    // ---- lookups ------------------------------------------------------------------------------

    /** Lookups of random targets from random live honest nodes; collect with {@link Batch#lookupFigures()} once the scheduler ran. */
    public Batch startLookups(String label, int count, KademliaParameters p) {
        Batch batch = new Batch(label);
        for (int i = 0; i < count; i++) {
            scheduler.after(scheduler.random().nextLong(WORKLOAD_WINDOW_MILLIS * 1_000), () -> {
                SimNode origin = randomLiveHonest();
                NodeId target = randomId();
                new PeerLookupRun(origin, target, p).start(run -> batch.lookupDone((PeerLookupRun) run, target));
            });
        }
        return batch;
    }

    /** Runs a batch of lookups to the end. */
    public LookupFigures lookups(String label, int count, KademliaParameters p) {
        Batch batch = startLookups(label, count, p);
        scheduler.runUntilIdle();
        return batch.lookupFigures();
    }

    // ---- records ------------------------------------------------------------------------------

    /** {@code records} new records, version 1, from {@code publisherCount} publishers, each put from a random live honest node. */
    public PutFigures publish(int records, int publisherCount) {
        while (publishers.size() < publisherCount) {
            publishers.add(newIdentity());
        }
        List<PublishedRecord> fresh = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            byte[] key = new byte[DhtKey.LENGTH];
            scheduler.random().nextBytes(key);
            byte[] value = new byte[VALUE_BYTES];
            scheduler.random().nextBytes(value);
            PublisherIdentity publisher = publishers.get(i % publishers.size());
            PublishedRecord r = publisher.sign(DhtKey.of(key), value, 1, scheduler.nowMillis() + RECORD_LIFETIME_MILLIS);
            fresh.add(r);
        }
        return put("put " + records + " records", fresh);
    }

    /** A new version of {@code fraction} of the records, put by their publishers. */
    public PutFigures update(double fraction) {
        List<PublishedRecord> next = new ArrayList<>();
        int n = (int) Math.round(fraction * newest.size());
        List<PublishedRecord> current = new ArrayList<>(newest.values());
        for (int i = 0; i < n; i++) {
            int j = i + scheduler.random().nextInt(current.size() - i); // without replacement: one new version per key
            PublishedRecord old = current.get(j);
            current.set(j, current.get(i));
            PublisherIdentity publisher = publisherOf(old);
            byte[] value = new byte[VALUE_BYTES];
            scheduler.random().nextBytes(value);
            PublishedRecord r = publisher.sign(old.record().key(), value, old.record().version() + 1,
                    scheduler.nowMillis() + RECORD_LIFETIME_MILLIS);
            next.add(r);
        }
        return put("update " + n + " records", next);
    }

    private PublisherIdentity publisherOf(PublishedRecord r) {
        for (PublisherIdentity p : publishers) {
            if (p.nodeId().equals(r.record().publisher())) {
                return p;
            }
        }
        throw new IllegalStateException("no publisher for " + r.record());
    }

    private PutFigures put(String label, List<PublishedRecord> records) {
        Distribution replicas = new Distribution();
        Distribution messages = new Distribution();
        Distribution bytes = new Distribution();
        for (PublishedRecord r : records) {
            newest.merge(r.record().key(), r, (a, b) -> b.record().version() >= a.record().version() ? b : a);
            scheduler.after(scheduler.random().nextLong(WORKLOAD_WINDOW_MILLIS * 1_000),
                    () -> Publishing.put(randomLiveHonest(), r, config.parameters(), result -> {
                        replicas.add(result.stored());
                        messages.add(result.traffic().messages());
                        bytes.add(result.traffic().bytes());
                    }));
        }
        scheduler.runUntilIdle();
        return new PutFigures(label, records.size(), replicas, messages, bytes);
    }

    /** Gets of random published keys from random live honest nodes; collect with {@link Batch#getFigures()} once the scheduler ran. */
    public Batch startGets(String label, int count, KademliaParameters p) {
        Batch batch = new Batch(label);
        List<DhtKey> keys = new ArrayList<>(newest.keySet());
        if (keys.isEmpty()) {
            throw new IllegalStateException("publish records before getting them");
        }
        for (int i = 0; i < count; i++) {
            scheduler.after(scheduler.random().nextLong(WORKLOAD_WINDOW_MILLIS * 1_000), () -> {
                DhtKey key = keys.get(scheduler.random().nextInt(keys.size()));
                new GetRun(randomLiveHonest(), key, p, check, config.getQuorum(), batch.counters, true)
                        .start(run -> batch.getDone((GetRun) run, newest.get(key)));
            });
        }
        return batch;
    }

    public GetFigures gets(String label, int count, KademliaParameters p) {
        Batch batch = startGets(label, count, p);
        scheduler.runUntilIdle();
        return batch.getFigures();
    }

    // ---- churn -------------------------------------------------------------------------------

    /**
     * {@code fraction} of the live honest nodes leave now. Abruptly: they fall silent and their
     * records are lost. Gracefully: each first stores its records on the k closest peers its table
     * knows for each key (no lookup: it is on its way out), then closes its sessions, so that
     * requests to it fail at once and the requester evicts it from its table.
     */
    public int depart(double fraction, boolean gracefully) {
        List<SimNode> honest = new ArrayList<>();
        for (SimNode n : network.liveNodes()) {
            if (!n.isMalicious()) {
                honest.add(n);
            }
        }
        int leaving = (int) Math.round(fraction * honest.size());
        for (int i = 0; i < leaving; i++) {
            int j = i + scheduler.random().nextInt(honest.size() - i);
            SimNode n = honest.get(j);
            honest.set(j, honest.get(i));
            honest.set(i, n);
            if (gracefully) {
                for (PublishedRecord r : n.store().allPublished()) {
                    List<PeerInfo> closest = n.table().closest(r.record().key().asNodeId(), config.parameters().k());
                    Publishing.storeOn(n, closest, r, Traffic.NONE, result -> { });
                }
            }
            n.leave(gracefully);
        }
        return leaving;
    }

    /**
     * A maintenance round: every live honest node, at a random time within {@code windowMillis},
     * pings the entries it has not heard from since the round began, refreshes the buckets not
     * looked up since then, and republishes its records that nobody re-stored on it since then
     * (see {@link Maintenance}). Runs with whatever else is scheduled.
     */
    public void startMaintenance(long windowMillis) {
        long since = scheduler.nowMillis();
        for (SimNode n : new ArrayList<>(network.liveNodes())) {
            if (n.isMalicious()) {
                continue;
            }
            scheduler.after(scheduler.random().nextLong(windowMillis * 1_000), () -> Maintenance.checkIdle(n, since,
                    () -> Maintenance.refresh(n, config.parameters(), tableRandom, since,
                            () -> Maintenance.republish(n, config.parameters(), since, () -> { }))));
        }
    }

    /** Runs everything scheduled to the end. */
    public void settle() {
        scheduler.runUntilIdle();
    }

    /** Entries per routing table of the live nodes, and replacements waiting. */
    public TableFigures tables() {
        Distribution entries = new Distribution();
        Distribution replacements = new Distribution();
        for (SimNode n : network.liveNodes()) {
            entries.add(n.table().size());
            replacements.add(n.table().replacements());
        }
        return new TableFigures(entries, replacements);
    }

    /** Routing-table sizes over the live nodes. */
    public record TableFigures(Distribution entries, Distribution replacements) {
    }

    /** Share of the entries of live honest nodes' tables that belong to the attacker. */
    public double maliciousShareOfHonestTables() {
        long all = 0;
        long bad = 0;
        for (SimNode n : network.liveNodes()) {
            if (n.isMalicious()) {
                continue;
            }
            for (var e : n.table().entries()) {
                all++;
                SimNode peer = network.node(e.nodeId());
                if (peer != null && peer.isMalicious()) {
                    bad++;
                }
            }
        }
        return all == 0 ? 0 : (double) bad / all;
    }

    /** Heap per routing table, measured on copies of up to {@code sampleSize} live tables. */
    public TableMemory.Figures tableMemory(int sampleSize) {
        List<org.qdht.kademlia.core.RoutingTable> sample = new ArrayList<>();
        for (SimNode n : network.liveNodes()) {
            if (sample.size() == sampleSize) {
                break;
            }
            sample.add(n.table());
        }
        return TableMemory.measure(sample, scheduler.nowMillis());
    }

    /** Collects the outcomes of one batch of lookups or gets. */
    public final class Batch {
        private final String label;
        private final int liveAtStart;
        private final Counters counters = new Counters();
        private int done;
        private int successes;
        private int notFound;
        private int stale;
        private int hijacked;
        private int forgedAccepted;
        private final Distribution hops = new Distribution();
        private final Distribution messages = new Distribution();
        private final Distribution bytes = new Distribution();
        private final Distribution latency = new Distribution();

        Batch(String label) {
            this.label = label;
            this.liveAtStart = network.liveNodes().size();
        }

        private void common(QueryRun run) {
            done++;
            hops.add(run.stats().hops());
            messages.add(run.traffic().messages());
            bytes.add(run.traffic().bytes());
            latency.add(run.latencyMicros() / 1_000.0);
        }

        void lookupDone(PeerLookupRun run, NodeId target) {
            common(run);
            NodeId truth = closestLiveHonest(target, run.origin().id());
            for (PeerInfo p : run.result()) {
                if (p.nodeId().equals(truth)) {
                    successes++;
                    return;
                }
            }
        }

        void getDone(GetRun run, PublishedRecord expected) {
            common(run);
            Optional<PublishedRecord> best = run.best();
            if (best.isEmpty()) {
                notFound++;
                return;
            }
            PublishedRecord got = best.get();
            if (!verifies(got)) {
                forgedAccepted++;
            } else if (adversary != null && got.record().publisher().equals(adversary.publisherId())) {
                hijacked++;
            } else if (got.record().publisher().equals(expected.record().publisher())
                    && got.record().version() == expected.record().version()) {
                successes++;
            } else {
                stale++;
            }
        }

        private boolean verifies(PublishedRecord r) {
            try {
                return verifier.verify(r.record(), r.publisherKey());
            } catch (CryptoException e) {
                return false;
            }
        }

        public LookupFigures lookupFigures() {
            return new LookupFigures(label, liveAtStart, done, successes, hops, messages, bytes, latency);
        }

        public GetFigures getFigures() {
            return new GetFigures(label, liveAtStart, done, successes, notFound, stale, hijacked, forgedAccepted,
                    counters.get("record-forged"), hops, messages, bytes, latency);
        }
    }
}
