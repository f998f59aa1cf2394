package org.qdht.kademlia.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;

/**
 * The k-bucket routing table of one node: 256 buckets indexed by the length of the prefix a peer's
 * NodeId shares with this node's, each holding at most k entries ordered from least to most
 * recently seen, plus a bounded replacement cache.
 *
 * <p>Admission rules (see SECURITY.md): only a peer that has answered a request is offered to the
 * table ({@link #admit}); a full bucket never evicts a live entry for a newcomer, it keeps the
 * newcomer as a replacement and asks the driver to check its oldest entry; no network group may
 * hold more than {@link KademliaParameters#maxPerGroupInBucket()} entries of a bucket or
 * {@link KademliaParameters#maxPerGroupInTable()} of the table. Thread safe (one lock; the
 * operations are short).
 */
public final class RoutingTable {
    /** What {@link #admit} did with a peer. */
    public enum Outcome {
        /** New entry in its bucket. */
        ADDED,
        /** Already in the table; marked as seen now (and its addresses updated). */
        UPDATED,
        /** Its bucket is full: kept as a replacement; check {@link Admission#checkLiveness()}. */
        CACHED,
        /** Its network group already holds its share of the bucket or of the table. */
        REFUSED_GROUP_LIMIT,
        /** The peer is this node. */
        REFUSED_SELF
    }

    /**
     * The result of offering a peer.
     *
     * @param outcome       what happened
     * @param checkLiveness for {@link Outcome#CACHED}: the bucket's least recently seen entry, which
     *                      the driver should ping and report through {@link #responded} or
     *                      {@link #failed}; the replacement takes its place if it fails
     */
    public record Admission(Outcome outcome, Optional<PeerInfo> checkLiveness) {
    }

    private static final int BUCKETS = NodeId.BITS;

    private final NodeId self;
    private final KademliaParameters parameters;
    private final Bucket[] buckets = new Bucket[BUCKETS + 1];
    private final Map<NodeId, TableEntry> byId = new HashMap<>();
    private final Map<String, Integer> entriesPerGroup = new HashMap<>();

    public RoutingTable(NodeId self, KademliaParameters parameters) {
        this.self = self;
        this.parameters = parameters;
    }

    public NodeId self() {
        return self;
    }

    public KademliaParameters parameters() {
        return parameters;
    }

    /** Bucket index of {@code id}: the number of leading bits it shares with this node. */
    public int bucketIndex(NodeId id) {
        return self.commonPrefixLength(id);
    }

    /** Offers a peer that has just answered a request. */
    public synchronized Admission admit(PeerInfo peer, long nowMillis) {
        NodeId id = peer.nodeId();
        if (id.equals(self)) {
            return new Admission(Outcome.REFUSED_SELF, Optional.empty());
        }
        TableEntry known = byId.get(id);
        Bucket bucket = bucket(bucketIndex(id));
        if (known != null) {
            if (NetworkGroups.groupOf(peer.addresses()).equals(known.group())) {
                known.updatePeer(peer);
            }
            // else keep the addresses it was admitted with: moving an entry into another network
            // group would bypass that group's limits; if the old address dies, the entry is
            // evicted and the peer is admitted afresh, under the limits of its new group
            known.seen(nowMillis);
            bucket.moveToTail(known);
            return new Admission(Outcome.UPDATED, Optional.empty());
        }
        String group = NetworkGroups.groupOf(peer.addresses());
        if (!groupHasRoom(bucket, group)) {
            return new Admission(Outcome.REFUSED_GROUP_LIMIT, Optional.empty());
        }
        if (bucket.entries.size() < parameters.k()) {
            add(bucket, new TableEntry(peer, group, nowMillis));
            return new Admission(Outcome.ADDED, Optional.empty());
        }
        bucket.cacheReplacement(new TableEntry(peer, group, nowMillis), parameters.replacementCacheSize());
        return new Admission(Outcome.CACHED, Optional.of(bucket.entries.get(0).peer()));
    }

    /** A request to {@code id} was answered after {@code roundTripMicros}. */
    public synchronized void responded(NodeId id, long nowMillis, long roundTripMicros) {
        TableEntry entry = byId.get(id);
        if (entry != null) {
            entry.seen(nowMillis);
            entry.roundTrips().sample(roundTripMicros);
            bucket(bucketIndex(id)).moveToTail(entry);
        }
    }

    /**
     * A request to {@code id} failed. After {@link KademliaParameters#maxFailures()} failures in a
     * row the entry is evicted and the freshest replacement of its bucket takes its place.
     *
     * @return true if the entry was evicted
     */
    public synchronized boolean failed(NodeId id) {
        TableEntry entry = byId.get(id);
        if (entry == null || entry.failed() < parameters.maxFailures()) {
            return false;
        }
        evict(id);
        return true;
    }

    /** Removes {@code id} at once (it left, or proved hostile) and promotes a replacement. */
    public synchronized boolean evict(NodeId id) {
        TableEntry entry = byId.remove(id);
        if (entry == null) {
            return false;
        }
        Bucket bucket = bucket(bucketIndex(id));
        bucket.entries.remove(entry);
        entriesPerGroup.merge(entry.group(), -1, (a, b) -> a + b == 0 ? null : a + b);
        promoteReplacement(bucket);
        return true;
    }

    /** The request timeout to use for {@code id}: adaptive for table entries, the initial value otherwise. */
    public synchronized long timeoutMillis(NodeId id) {
        TableEntry entry = byId.get(id);
        return entry == null ? parameters.initialTimeoutMillis() : entry.roundTrips().timeoutMillis(parameters);
    }

    /**
     * Where a lookup for {@code target} starts: the 2k closest entries. A lookup asks the closest
     * of them first and the farther half only when closer ones fail. The farther half matters
     * when the k closest entries have all left without the table knowing yet (an entry goes only
     * after {@code maxFailures} failed requests): the lookup then still reaches the live network
     * instead of ending with no answer at all.
     */
    public List<PeerInfo> lookupSeeds(NodeId target) {
        return closest(target, 2 * parameters.k());
    }

    /** Up to {@code count} entries closest to {@code target}, closest first. */
    public synchronized List<PeerInfo> closest(NodeId target, int count) {
        // Buckets in order of XOR distance to the target, without sorting the whole table (it is
        // asked on every find-node request). With c the prefix the target shares with this node:
        // entries of bucket c share more than c bits with the target (closest); entries of every
        // bucket above c share exactly c bits; entries of bucket i below c share exactly i bits.
        int c = Math.min(bucketIndex(target), BUCKETS - 1);
        List<PeerInfo> out = new ArrayList<>(Math.min(count, byId.size()));
        List<TableEntry> group = new ArrayList<>();
        addEntries(group, c);
        takeClosest(group, target, count, out);
        group.clear();
        for (int i = c + 1; i < BUCKETS && out.size() < count; i++) {
            addEntries(group, i);
        }
        takeClosest(group, target, count, out);
        for (int i = c - 1; i >= 0 && out.size() < count; i--) {
            group.clear();
            addEntries(group, i);
            takeClosest(group, target, count, out);
        }
        return out;
    }

    private void addEntries(List<TableEntry> into, int bucketIndex) {
        Bucket b = buckets[bucketIndex];
        if (b != null) {
            into.addAll(b.entries);
        }
    }

    private static void takeClosest(List<TableEntry> group, NodeId target, int count, List<PeerInfo> out) {
        if (out.size() >= count || group.isEmpty()) {
            return;
        }
        group.sort((a, b) -> target.compareDistance(a.nodeId(), b.nodeId()));
        for (int i = 0; i < group.size() && out.size() < count; i++) {
            out.add(group.get(i).peer());
        }
    }

    public synchronized boolean contains(NodeId id) {
        return byId.containsKey(id);
    }

    public synchronized int size() {
        return byId.size();
    }

    /** Entries waiting in replacement caches. */
    public synchronized int replacements() {
        int n = 0;
        for (Bucket b : buckets) {
            n += b == null ? 0 : b.replacements.size();
        }
        return n;
    }

    /** A snapshot of every entry, closest buckets (longest shared prefix) first. */
    public synchronized List<TableEntry> entries() {
        List<TableEntry> out = new ArrayList<>(byId.size());
        for (int i = BUCKETS; i >= 0; i--) {
            if (buckets[i] != null) {
                out.addAll(buckets[i].entries);
            }
        }
        return out;
    }

    /** Number of entries per bucket index, for {@code qdht:routes}. */
    public synchronized int[] bucketSizes() {
        int[] sizes = new int[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            sizes[i] = buckets[i] == null ? 0 : buckets[i].entries.size();
        }
        return sizes;
    }

    /** Marks the bucket that {@code target} falls in as refreshed by a lookup now. */
    public synchronized void lookedUp(NodeId target, long nowMillis) {
        int index = bucketIndex(target);
        if (index < BUCKETS) {
            bucket(index).lastLookupMillis = nowMillis;
        }
    }

    /**
     * Indexes of buckets that need a refresh lookup: buckets up to the deepest non-empty one (the
     * ones that can hold peers) that saw no lookup since {@code beforeMillis}.
     */
    public synchronized List<Integer> bucketsToRefresh(long beforeMillis) {
        int deepest = -1;
        for (int i = 0; i < BUCKETS; i++) {
            if (buckets[i] != null && !buckets[i].entries.isEmpty()) {
                deepest = i;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i <= Math.min(deepest + 1, BUCKETS - 1); i++) {
            Bucket b = buckets[i];
            if (b == null || b.lastLookupMillis < beforeMillis) {
                out.add(i);
            }
        }
        return out;
    }

    /** A random identifier that falls in bucket {@code index} of this table, to refresh it. */
    public NodeId randomIdInBucket(int index, Random random) {
        if (index < 0 || index >= BUCKETS) {
            throw new IllegalArgumentException("bucket index must be 0-" + (BUCKETS - 1) + ", got " + index);
        }
        byte[] id = self.bytes();
        byte[] noise = new byte[NodeId.LENGTH];
        random.nextBytes(noise);
        // keep the first `index` bits, flip bit `index`, randomise the rest
        for (int bit = index + 1; bit < NodeId.BITS; bit++) {
            int mask = 0x80 >>> (bit & 7);
            id[bit >>> 3] = (byte) ((id[bit >>> 3] & ~mask) | (noise[bit >>> 3] & mask));
        }
        id[index >>> 3] ^= (byte) (0x80 >>> (index & 7));
        return NodeId.of(id);
    }

    /** Peers least recently seen first, for liveness checks of idle entries. */
    public synchronized List<PeerInfo> notSeenSince(long beforeMillis) {
        List<PeerInfo> out = new ArrayList<>();
        byId.values().stream().filter(e -> e.lastSeenMillis() < beforeMillis)
                .sorted(Comparator.comparingLong(TableEntry::lastSeenMillis)).forEach(e -> out.add(e.peer()));
        return out;
    }

    private boolean groupHasRoom(Bucket bucket, String group) {
        if (entriesPerGroup.getOrDefault(group, 0) >= parameters.maxPerGroupInTable()) {
            return false;
        }
        int inBucket = 0;
        for (TableEntry e : bucket.entries) {
            if (e.group().equals(group)) {
                inBucket++;
            }
        }
        return inBucket < parameters.maxPerGroupInBucket();
    }

    private void add(Bucket bucket, TableEntry entry) {
        bucket.entries.add(entry);
        byId.put(entry.nodeId(), entry);
        entriesPerGroup.merge(entry.group(), 1, Integer::sum);
    }

    private void promoteReplacement(Bucket bucket) {
        Iterator<TableEntry> newestFirst = bucket.replacements.descendingIterator();
        while (newestFirst.hasNext() && bucket.entries.size() < parameters.k()) {
            TableEntry candidate = newestFirst.next();
            newestFirst.remove();
            if (!byId.containsKey(candidate.nodeId()) && groupHasRoom(bucket, candidate.group())) {
                add(bucket, candidate);
                return;
            }
        }
    }

    private Bucket bucket(int index) {
        Bucket b = buckets[index];
        if (b == null) {
            b = new Bucket();
            buckets[index] = b;
        }
        return b;
    }

    /** Entries least recently seen first; replacements oldest first. */
    private static final class Bucket {
        final List<TableEntry> entries = new ArrayList<>(4);
        final ArrayDeque<TableEntry> replacements = new ArrayDeque<>(0);
        long lastLookupMillis = Long.MIN_VALUE;

        void moveToTail(TableEntry entry) {
            if (entries.remove(entry)) {
                entries.add(entry);
            }
        }

        void cacheReplacement(TableEntry entry, int capacity) {
            if (capacity == 0) {
                return;
            }
            replacements.removeIf(r -> r.nodeId().equals(entry.nodeId()));
            if (replacements.size() >= capacity) {
                replacements.removeFirst();
            }
            replacements.addLast(entry);
        }
    }
}
