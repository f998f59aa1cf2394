package org.qdht.routing.kademlia.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.log.Logger;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.RecordStore;
import org.qdht.api.routing.Routing;
import org.qdht.api.wire.WireFormatException;
import org.qdht.kademlia.core.Counters;
import org.qdht.kademlia.core.DhtMessage;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.FindNode;
import org.qdht.kademlia.core.DhtMessage.FindValue;
import org.qdht.kademlia.core.DhtMessage.Nodes;
import org.qdht.kademlia.core.DhtMessage.Outcome;
import org.qdht.kademlia.core.DhtMessage.Ping;
import org.qdht.kademlia.core.DhtMessage.Pong;
import org.qdht.kademlia.core.DhtMessage.Request;
import org.qdht.kademlia.core.DhtMessage.Sender;
import org.qdht.kademlia.core.DhtMessage.Store;
import org.qdht.kademlia.core.DhtMessage.Value;
import org.qdht.kademlia.core.DhtMessages;
import org.qdht.kademlia.core.DisjointPathsLookup;
import org.qdht.kademlia.core.KademliaParameters;
import org.qdht.kademlia.core.PeerLookup;
import org.qdht.kademlia.core.RecordCheck;
import org.qdht.kademlia.core.RecordCheck.Verdict;
import org.qdht.kademlia.core.RequestHandler;
import org.qdht.kademlia.core.RoutingTable;
import org.qdht.kademlia.core.ValueLookup;
import org.qdht.routing.kademlia.internal.RpcClient.Reply;

/**
 * Kademlia for one node: the thin driver around the core state machines. It answers other nodes'
 * requests, runs lookups, puts and gets over the node's secure sessions, keeps the routing table
 * alive (bootstrap, bucket refresh, liveness checks) and the records replicated (republish,
 * expiry, hand-over on a graceful leave). Registered as the node's {@link Routing} and {@link Dht}.
 * Thread safe.
 */
final class KademliaNode implements Routing, Dht {
    /** Reverse checks of new peers running at once: each costs a handshake, so a flood of new senders waits. */
    private static final int MAX_ADMISSION_CHECKS = 32;
    /** Republish lookups in flight at once, so that a large store does not flood the network. */
    private static final int REPUBLISH_PARALLELISM = 4;
    private static final long EXPIRY_INTERVAL_MILLIS = 60_000;
    /** Least time between two checks (liveness, or admission of a sender) of the same peer. */
    private static final long LIVENESS_CHECK_INTERVAL_MILLIS = 30_000;

    private final String name;
    private final QdhtNode node;
    private final NodeIdentity identity;
    private final RecordStore store;
    private final boolean server;
    private final KademliaSettings settings;
    private final KademliaParameters parameters;
    private final ScheduledExecutorService timer;
    private final Executor work;
    private final Logger log;
    private final NodeId self;
    private final RoutingTable table;
    private final RecordCheck check;
    private final RequestHandler handler;
    private final RpcClient rpc;
    private final Counters counters = new Counters();
    private final Random random = new Random();
    private final Set<NodeId> admissionChecks = ConcurrentHashMap.newKeySet();
    private final Map<NodeId, Long> livenessChecked = new ConcurrentHashMap<>();
    private final AtomicInteger maintenanceLookups = new AtomicInteger();
    private final AtomicLong lookupsDone = new AtomicLong();
    private final long startedAt = System.currentTimeMillis();
    private volatile long nextBootstrapAt;
    private volatile long bootstrapBackoffMillis = 2_000;
    private volatile long nextRepublishAt;
    private volatile long nextExpiryAt;
    private volatile boolean joined;
    private volatile boolean closed;

    KademliaNode(String name, QdhtNode node, NodeIdentity identity, SecureChannels channels, RecordStore store,
            SignatureVerifier verifier, boolean server, KademliaSettings settings, ScheduledExecutorService timer,
            Executor work, Logger log) {
        this.name = name;
        this.node = node;
        this.identity = identity;
        this.store = store;
        this.server = server;
        this.settings = settings;
        this.parameters = settings.parameters();
        this.timer = timer;
        this.work = work;
        this.log = log;
        this.self = identity.nodeId();
        this.table = new RoutingTable(self, parameters);
        this.check = new RecordCheck(verifier, settings.minPublisherPuzzleDifficulty(), settings.maxRecordLifetimeMillis(),
                Math.min(Record.MAX_VALUE_SIZE, store.limits().maxValueBytes()));
        this.handler = new RequestHandler(table, store, check, server, counters, System::currentTimeMillis);
        this.rpc = new RpcClient(channels, timer, counters);
        long now = System.currentTimeMillis();
        this.nextRepublishAt = now + settings.republishMillis() / 2 + (long) (random.nextDouble() * settings.republishMillis() / 2);
        this.nextExpiryAt = now + EXPIRY_INTERVAL_MILLIS;
    }

    String name() {
        return name;
    }

    boolean isServer() {
        return server;
    }

    boolean hasJoined() {
        return joined;
    }

    RoutingTable table() {
        return table;
    }

    RecordStore store() {
        return store;
    }

    NodeIdentity identity() {
        return identity;
    }

    Map<String, Long> counters() {
        Map<String, Long> out = counters.snapshot();
        out.put("bytes-sent", rpc.bytesSent());
        out.put("bytes-received", rpc.bytesReceived());
        out.put("lookups", lookupsDone.get());
        return out;
    }

    // ---- Routing --------------------------------------------------------------------------------

    @Override
    public NodeId self() {
        return self;
    }

    @Override
    public CompletionStage<List<PeerInfo>> lookup(NodeId target, int count) {
        if (count < 1 || count > KademliaParameters.MAX_K) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("count must be 1-" + KademliaParameters.MAX_K));
        }
        return findClosest(target).thenApply(peers -> peers.size() > count ? List.copyOf(peers.subList(0, count)) : peers);
    }

    @Override
    public List<PeerInfo> knownPeers() {
        List<PeerInfo> out = new ArrayList<>();
        table.entries().forEach(e -> out.add(e.peer()));
        return out;
    }

    @Override
    public int size() {
        return table.size();
    }

    // ---- Dht ------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Integer> put(Record record) {
        if (record.isTombstone()) {
            return failed(DhtException.Reason.REJECTED, "put takes a value; remove takes a tombstone");
        }
        return publish(record);
    }

    @Override
    public CompletionStage<Integer> remove(Record tombstone) {
        if (!tombstone.isTombstone()) {
            return failed(DhtException.Reason.REJECTED, "remove takes a tombstone record");
        }
        return publish(tombstone);
    }

    @Override
    public CompletionStage<Optional<Record>> get(DhtKey key) {
        return getPublished(key).thenApply(found -> found.map(PublishedRecord::record).filter(r -> !r.isTombstone()));
    }

    @Override
    public CompletionStage<Integer> put(PublishedRecord published) {
        if (closed) {
            return failed(DhtException.Reason.CLOSED, "routing of node " + name + " is stopped");
        }
        Verdict verdict = check.check(published, System.currentTimeMillis());
        if (verdict != Verdict.VALID) {
            counters.add(verdict.counterName());
            DhtException.Reason reason = verdict == Verdict.EXPIRED ? DhtException.Reason.EXPIRED : DhtException.Reason.REJECTED;
            return failed(reason, "the record would be refused by every node: " + verdict.counterName());
        }
        return replicate(published);
    }

    /** The newest valid record for {@code key} with its publisher key, tombstones included. */
    @Override
    public CompletableFuture<Optional<PublishedRecord>> getPublished(DhtKey key) {
        if (closed) {
            return failed(DhtException.Reason.CLOSED, "routing of node " + name + " is stopped");
        }
        Optional<PublishedRecord> local = server ? store.findPublished(key) : Optional.empty();
        List<PeerInfo> seeds = table.lookupSeeds(key.asNodeId());
        if (seeds.isEmpty()) {
            if (local.isPresent()) {
                return CompletableFuture.completedFuture(local);
            }
            return failed(DhtException.Reason.NO_ROUTE, "node " + name + " knows no peers yet: is it bootstrapped?");
        }
        PeerLookup peers = newLookup(key.asNodeId(), seeds);
        ValueLookup values = new ValueLookup(key, peers, check, settings.quorum(), counters);
        LookupRun run = new LookupRun(peers, peer -> call(peer, id -> new FindValue(id, sender(), key, parameters.k())),
                (from, reply, now) -> {
                    if (reply.answer() instanceof Value v) {
                        values.onValue(from, v.record(), v.closer(), now);
                    } else {
                        values.onFailure(from.nodeId(), now);
                    }
                }, timer, System::currentTimeMillis);
        table.lookedUp(key.asNodeId(), System.currentTimeMillis());
        return run.start(settings.operationTimeoutMillis()).thenApply(done -> {
            lookupsDone.incrementAndGet();
            Optional<PublishedRecord> best;
            List<PeerInfo> lacking;
            synchronized (run) {
                best = newest(values.best(), local);
                lacking = values.peersLackingBest();
                if (best.isEmpty() && done.stats().responses() == 0) {
                    // "not found" would be a claim about the network; nobody was asked successfully
                    throw new java.util.concurrent.CompletionException(new DhtException(DhtException.Reason.NO_ROUTE,
                            "no peer answered the get of " + key + " (" + done.stats().failures() + " failed): is the node connected?"));
                }
            }
            // cache along the path: the closest peer that answered without it gets a copy
            best.ifPresent(r -> lacking.stream().findFirst().ifPresent(p -> storeAt(p, r)));
            return best;
        });
    }

    private CompletableFuture<Integer> publish(Record record) {
        if (closed) {
            return failed(DhtException.Reason.CLOSED, "routing of node " + name + " is stopped");
        }
        if (!record.isSigned()) {
            return failed(DhtException.Reason.REJECTED, "the record is not signed");
        }
        if (!record.publisher().equals(identity.nodeId()) || !record.keyId().equals(identity.signingKey().keyId())) {
            return failed(DhtException.Reason.REJECTED, "node " + name + " publishes only records signed with its current identity key "
                    + identity.signingKey().keyId().toHex() + " (" + identity.suite().name() + ")");
        }
        PublishedRecord published = new PublishedRecord(record, identity.signingKey(), identity.puzzleNonce());
        Verdict verdict = check.check(published, System.currentTimeMillis());
        if (verdict != Verdict.VALID) {
            DhtException.Reason reason = verdict == Verdict.EXPIRED ? DhtException.Reason.EXPIRED : DhtException.Reason.REJECTED;
            return failed(reason, "the record would be refused by every node: " + verdict.counterName());
        }
        return replicate(published);
    }

    /** Stores {@code published} on the k closest peers (and here, if this node is one of them). */
    private CompletableFuture<Integer> replicate(PublishedRecord published) {
        NodeId target = published.record().key().asNodeId();
        return findClosest(target).handle((closest, error) -> {
            List<PeerInfo> peers = error == null ? closest : List.<PeerInfo>of();
            List<CompletableFuture<Optional<DhtException>>> stores = new ArrayList<>();
            for (PeerInfo peer : peers) {
                stores.add(storeAt(peer, published));
            }
            Optional<DhtException> localRefusal = Optional.empty();
            boolean storeHere = server && (peers.size() < parameters.k()
                    || target.compareDistance(self, peers.get(peers.size() - 1).nodeId()) < 0);
            int accepted = 0;
            if (storeHere) {
                try {
                    store.store(published);
                    accepted++;
                } catch (DhtException e) {
                    localRefusal = Optional.of(e);
                }
            }
            final int acceptedHere = accepted;
            final Optional<DhtException> refusedHere = localRefusal;
            final Throwable lookupError = error;
            return CompletableFuture.allOf(stores.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                int total = acceptedHere;
                List<DhtException> refusals = new ArrayList<>();
                refusedHere.ifPresent(refusals::add);
                for (CompletableFuture<Optional<DhtException>> f : stores) {
                    Optional<DhtException> refusal = f.join();
                    if (refusal.isEmpty()) {
                        total++;
                    } else {
                        refusals.add(refusal.get());
                    }
                }
                if (total > 0) {
                    return total;
                }
                throw new java.util.concurrent.CompletionException(mostCommon(refusals).orElseGet(() -> lookupError != null
                        ? asDhtException(lookupError)
                        : new DhtException(DhtException.Reason.NO_ROUTE, "no peer could be reached to store the record")));
            });
        }).thenCompose(f -> f);
    }

    /** Sends one store; completes with empty when stored, or the peer's refusal. */
    private CompletableFuture<Optional<DhtException>> storeAt(PeerInfo peer, PublishedRecord published) {
        return call(peer, id -> new Store(id, sender(), published)).handle((reply, error) -> {
                    if (error != null) {
                        counters.add("store-sent-failed");
                        return Optional.of(asDhtException(error));
                    }
                    if (reply.answer() instanceof Outcome o) {
                        if (o.refusal().isEmpty()) {
                            counters.add("store-sent-accepted");
                            return Optional.<DhtException>empty();
                        }
                        counters.add("store-sent-refused-" + o.refusal().get().toLowerCase(java.util.Locale.ROOT));
                        return Optional.of(new DhtException(DhtException.Reason.valueOf(o.refusal().get()),
                                "peer " + peer.nodeId().toShortString() + ": " + o.detail()));
                    }
                    return Optional.of(new DhtException(DhtException.Reason.REJECTED, "peer answered a store with "
                            + reply.answer().getClass().getSimpleName()));
                });
    }

    /** The k closest live peers to {@code target}, by an iterative lookup. */
    CompletableFuture<List<PeerInfo>> findClosest(NodeId target) {
        if (closed) {
            return failed(DhtException.Reason.CLOSED, "routing of node " + name + " is stopped");
        }
        List<PeerInfo> seeds = table.lookupSeeds(target);
        if (seeds.isEmpty()) {
            return failed(DhtException.Reason.NO_ROUTE, "node " + name + " knows no peers yet: is it bootstrapped?");
        }
        PeerLookup lookup = newLookup(target, seeds);
        LookupRun run = new LookupRun(lookup, peer -> call(peer, id -> new FindNode(id, sender(), target, parameters.k())),
                (from, reply, now) -> {
                    if (reply.answer() instanceof Nodes n) {
                        lookup.onResponse(from.nodeId(), n.peers(), now);
                    } else {
                        lookup.onFailure(from.nodeId(), now);
                    }
                }, timer, System::currentTimeMillis);
        table.lookedUp(target, System.currentTimeMillis());
        return run.start(settings.operationTimeoutMillis()).thenApply(done -> {
            lookupsDone.incrementAndGet();
            synchronized (run) {
                return done.result();
            }
        });
    }

    /** A lookup with its statistics, for {@code qdht:lookup}. */
    CompletableFuture<PeerLookup> traceLookup(NodeId target) {
        List<PeerInfo> seeds = table.lookupSeeds(target);
        if (seeds.isEmpty()) {
            return failed(DhtException.Reason.NO_ROUTE, "node " + name + " knows no peers yet: is it bootstrapped?");
        }
        PeerLookup lookup = newLookup(target, seeds);
        LookupRun run = new LookupRun(lookup, peer -> call(peer, id -> new FindNode(id, sender(), target, parameters.k())),
                (from, reply, now) -> {
                    if (reply.answer() instanceof Nodes n) {
                        lookup.onResponse(from.nodeId(), n.peers(), now);
                    } else {
                        lookup.onFailure(from.nodeId(), now);
                    }
                }, timer, System::currentTimeMillis);
        return run.start(settings.operationTimeoutMillis());
    }

    private PeerLookup newLookup(NodeId target, List<PeerInfo> seeds) {
        return DisjointPathsLookup.of(target, self, seeds, parameters, table::timeoutMillis);
    }

    // ---- answers and requests --------------------------------------------------------------------

    /**
     * Sends a request to a peer of the table or of a lookup. A failure counts against the peer's
     * table entry: after {@code maxFailures} in a row it is evicted and a replacement takes its place.
     */
    private CompletableFuture<Reply> call(PeerInfo peer, java.util.function.IntFunction<Request> make) {
        // twice the lookup's deadline: past it the lookup stops waiting for the peer (it no longer
        // counts against alpha) but still uses a late answer, which is only possible if we wait
        return rpc.request(peer.addresses(), Optional.of(peer.nodeId()), make, 2 * table.timeoutMillis(peer.nodeId()))
                .whenComplete((reply, error) -> {
                    if (error != null && !closed && table.failed(peer.nodeId())) {
                        counters.add("evicted-failing");
                    }
                }).thenApply(this::answered);
    }

    /** Every answer proves the peer alive at the address it was asked on: it may enter the table. */
    private Reply answered(Reply reply) {
        long now = System.currentTimeMillis();
        if (reply.answer() instanceof Outcome o && o.refusal().filter("NOT_SUPPORTED"::equals).isPresent()) {
            table.evict(reply.from()); // a client-mode node: never route through it
            return reply;
        }
        admit(PeerInfo.of(reply.from(), List.of(reply.via())), now, reply.roundTripMicros());
        return reply;
    }

    private void admit(PeerInfo peer, long now, long roundTripMicros) {
        RoutingTable.Admission admission = table.admit(peer, now);
        if (admission.outcome() == RoutingTable.Outcome.REFUSED_GROUP_LIMIT) {
            counters.add("admission-group-limit");
        }
        table.responded(peer.nodeId(), now, roundTripMicros);
        admission.checkLiveness().ifPresent(this::checkLiveness);
    }

    /** The least recently seen entry of a full bucket must answer, or it leaves for the newcomer waiting. */
    private void checkLiveness(PeerInfo oldest) {
        long now = System.currentTimeMillis();
        Long last = livenessChecked.get(oldest.nodeId());
        if (last != null && now - last < LIVENESS_CHECK_INTERVAL_MILLIS || !admissionChecks.add(oldest.nodeId())) {
            return; // checked recently: a busy node must not ping its oldest entries on every answer
        }
        if (livenessChecked.size() > 4 * KademliaParameters.MAX_K * 64) {
            livenessChecked.clear();
        }
        livenessChecked.put(oldest.nodeId(), now);
        rpc.request(oldest.addresses(), Optional.of(oldest.nodeId()), id -> new Ping(id, sender()),
                table.timeoutMillis(oldest.nodeId())).whenComplete((reply, error) -> {
                    admissionChecks.remove(oldest.nodeId());
                    if (error == null) {
                        table.responded(oldest.nodeId(), System.currentTimeMillis(), reply.roundTripMicros());
                    } else if (table.evict(oldest.nodeId())) {
                        counters.add("evicted-unresponsive");
                    }
                });
    }

    /** A DHT message from an authenticated peer. */
    void onMessage(SecureSession session, byte[] bytes) {
        DhtMessage message;
        try {
            message = DhtMessages.decode(bytes);
        } catch (WireFormatException e) {
            counters.add("malformed-" + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            return;
        }
        if (message instanceof Answer answer) {
            rpc.onAnswer(session, answer, bytes.length);
            return;
        }
        rpc.countReceived(bytes.length);
        Request request = (Request) message;
        try {
            work.execute(() -> serve(session, request));
        } catch (RejectedExecutionException e) {
            counters.add("overloaded");
        }
    }

    private void serve(SecureSession session, Request request) {
        if (closed) {
            return;
        }
        Answer answer = handler.handle(session.peer(), request);
        byte[] bytes = DhtMessages.encode(answer);
        try {
            session.send(Protocols.DHT_RPC, bytes);
            rpc.countSent(bytes.length);
        } catch (ChannelException e) {
            counters.add("answer-not-sent");
        }
        if (!(request instanceof Ping)) {
            // a ping is itself a check: answering it with a check of our own would make two nodes
            // with full buckets ping each other for ever
            considerSender(session.peer(), request.sender());
        }
    }

    /**
     * A server that asked us something may enter our table, but only after it answers a ping of
     * ours at the address it claims: a peer cannot place entries it is not reachable at.
     */
    private void considerSender(NodeId peer, Sender sender) {
        if (!sender.server() || sender.addresses().isEmpty() || peer.equals(self)) {
            return;
        }
        long now = System.currentTimeMillis();
        if (table.contains(peer)) {
            return; // seen: its own answers keep it fresh
        }
        Long last = livenessChecked.get(peer);
        if (last != null && now - last < LIVENESS_CHECK_INTERVAL_MILLIS) {
            return; // checked lately and not admitted (full bucket, group limit): do not ask again at once
        }
        if (admissionChecks.size() >= MAX_ADMISSION_CHECKS || !admissionChecks.add(peer)) {
            return;
        }
        livenessChecked.put(peer, now);
        List<PeerAddress> first = List.of(sender.addresses().get(0));
        rpc.request(first, Optional.of(peer), id -> new Ping(id, sender()), parameters.initialTimeoutMillis())
                .whenComplete((reply, error) -> {
                    admissionChecks.remove(peer);
                    if (error == null) {
                        admit(PeerInfo.of(peer, sender.addresses()), now, reply.roundTripMicros());
                    } else {
                        counters.add("admission-check-failed");
                    }
                });
    }

    private Sender sender() {
        return new Sender(server, server ? ownAddresses() : List.of());
    }

    /** The node's addresses, UDP first (every node has it; QUIC only where installed), at most eight. */
    private List<PeerAddress> ownAddresses() {
        List<PeerAddress> all = new ArrayList<>(node.status().addresses());
        all.sort(Comparator.comparingInt(a -> a.scheme().equals("udp") ? 0 : 1));
        return all.size() > PeerInfo.MAX_ADDRESSES ? all.subList(0, PeerInfo.MAX_ADDRESSES) : all;
    }

    // ---- maintenance ----------------------------------------------------------------------------

    /** Called every second by the component's timer. */
    void tick() {
        if (closed) {
            return;
        }
        long now = System.currentTimeMillis();
        if (table.size() == 0 && now >= nextBootstrapAt) {
            nextBootstrapAt = now + bootstrapBackoffMillis;
            bootstrapBackoffMillis = Math.min(60_000, bootstrapBackoffMillis * 2);
            bootstrap();
        } else if (table.size() > 0) {
            bootstrapBackoffMillis = 2_000;
            refresh(now);
        }
        if (server && now >= nextRepublishAt) {
            nextRepublishAt = now + settings.republishMillis();
            republish(store.allPublished(), false);
        }
        if (now >= nextExpiryAt) {
            nextExpiryAt = now + EXPIRY_INTERVAL_MILLIS;
            int dropped = store.expire(now);
            if (dropped > 0) {
                counters.add("records-expired", dropped);
            }
        }
    }

    /** Pings the configured bootstrap peers (any identity), then looks up this node's own id. */
    void bootstrap() {
        List<PeerAddress> own = ownAddresses();
        for (PeerAddress address : settings.bootstrap()) {
            if (own.contains(address)) {
                continue;
            }
            rpc.request(List.of(address), Optional.empty(), id -> new Ping(id, sender()), parameters.initialTimeoutMillis())
                    .whenComplete((reply, error) -> {
                        if (error != null) {
                            counters.add("bootstrap-failed");
                            return;
                        }
                        if (reply.from().equals(self)) {
                            return; // one of our own addresses under another name
                        }
                        admit(PeerInfo.of(reply.from(), List.of(address)), System.currentTimeMillis(), reply.roundTripMicros());
                        join();
                    });
        }
    }

    /** After a restart with a new identity: ping the peers the old table knew, as extra bootstrap peers. */
    void rejoinThrough(List<PeerInfo> known) {
        for (PeerInfo peer : known) {
            rpc.request(peer.addresses(), Optional.of(peer.nodeId()), id -> new Ping(id, sender()), parameters.initialTimeoutMillis())
                    .whenComplete((reply, error) -> {
                        if (error == null) {
                            admit(PeerInfo.of(reply.from(), List.of(reply.via())), System.currentTimeMillis(), reply.roundTripMicros());
                            join();
                        }
                    });
        }
    }

    private void join() {
        if (joined) {
            return;
        }
        joined = true;
        findClosest(self).whenComplete((peers, error) -> {
            if (error != null) {
                joined = false;
                log.warn("node {}: joining failed: {}", name, RpcClient.rootMessage(error));
                return;
            }
            log.info("node {}: joined the network; {} peers in its table", name, table.size());
        });
    }

    /** Refreshes one stale bucket at a time with a lookup of a random id in it. */
    private void refresh(long now) {
        if (!joined) {
            join();
            return;
        }
        if (maintenanceLookups.get() > 0) {
            return;
        }
        List<Integer> stale = table.bucketsToRefresh(now - settings.refreshMillis());
        if (stale.isEmpty()) {
            return;
        }
        NodeId target = table.randomIdInBucket(stale.get(0), random);
        maintenanceLookups.incrementAndGet();
        findClosest(target).whenComplete((peers, error) -> maintenanceLookups.decrementAndGet());
    }

    /**
     * Stores every record again on its current k closest peers, a few at a time.
     *
     * @param leaving true on a graceful leave: this node is not one of the closest any more
     * @return completes when every record was offered
     */
    CompletableFuture<Integer> republish(List<PublishedRecord> records, boolean leaving) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        AtomicInteger accepted = new AtomicInteger();
        counters.add(leaving ? "records-handed-over" : "records-republished", records.size());
        java.util.concurrent.ConcurrentLinkedQueue<PublishedRecord> queue = new java.util.concurrent.ConcurrentLinkedQueue<>(records);
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < REPUBLISH_PARALLELISM; i++) {
            workers.add(republishNext(queue, leaving, accepted));
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).thenApply(v -> accepted.get());
    }

    private CompletableFuture<Void> republishNext(java.util.Queue<PublishedRecord> queue, boolean leaving, AtomicInteger accepted) {
        PublishedRecord next = queue.poll();
        if (next == null || closed && !leaving) {
            return CompletableFuture.completedFuture(null);
        }
        if (next.record().isExpired(System.currentTimeMillis())) {
            return republishNext(queue, leaving, accepted);
        }
        return findClosest(next.record().key().asNodeId()).handle((peers, error) -> {
            if (error != null) {
                counters.add("republish-lookup-failed");
                return CompletableFuture.<Void>completedFuture(null);
            }
            List<CompletableFuture<Optional<DhtException>>> stores = new ArrayList<>();
            for (PeerInfo peer : peers) {
                stores.add(storeAt(peer, next).thenApply(refusal -> {
                    if (refusal.isEmpty()) {
                        accepted.incrementAndGet();
                    }
                    return refusal;
                }));
            }
            return CompletableFuture.allOf(stores.toArray(CompletableFuture[]::new));
        }).thenCompose(f -> f).exceptionally(e -> null).thenCompose(v -> republishNext(queue, leaving, accepted));
    }

    /** Graceful leave: hands this node's records to the peers that stay, within the leave timeout. */
    void leave() {
        if (closed || !server || table.size() == 0 || settings.leaveMillis() == 0) {
            return;
        }
        List<PublishedRecord> records = store.allPublished();
        try {
            int copies = republish(records, true).get(settings.leaveMillis(), TimeUnit.MILLISECONDS);
            log.info("node {}: left gracefully; {} records offered to its neighbours, {} copies accepted", name, records.size(), copies);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("node {}: leave timed out after {} ms while handing over {} records", name, settings.leaveMillis(), records.size());
        } catch (Exception e) {
            log.warn("node {}: leave failed: {}", name, RpcClient.rootMessage(e));
        }
    }

    void close() {
        closed = true;
        rpc.close();
    }

    String uptime() {
        return (System.currentTimeMillis() - startedAt) / 1000 + " s";
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static Optional<PublishedRecord> newest(Optional<PublishedRecord> a, Optional<PublishedRecord> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return b.get().record().version() > a.get().record().version() ? b : a;
    }

    private static Optional<DhtException> mostCommon(List<DhtException> refusals) {
        Map<DhtException.Reason, Integer> counts = new java.util.EnumMap<>(DhtException.Reason.class);
        refusals.forEach(r -> counts.merge(r.reason(), 1, Integer::sum));
        return refusals.stream().max(Comparator.comparingInt(r -> counts.get(r.reason())));
    }

    static DhtException asDhtException(Throwable error) {
        Throwable t = error;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof DhtException d ? d : new DhtException(DhtException.Reason.NO_ROUTE, RpcClient.rootMessage(t), t);
    }

    private static <T> CompletableFuture<T> failed(DhtException.Reason reason, String message) {
        return CompletableFuture.failedFuture(new DhtException(reason, message));
    }
}
