package org.qdht.kademlia.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.kademlia.core.RecordCheck.Verdict;

/**
 * A get: a {@link PeerLookup} towards the key whose answers may carry the record. Every record is
 * checked before it counts. Records are tallied per publisher: the publisher whose record the
 * most peers returned wins (the storing nodes keep the first publisher of a key, so a Sybil that
 * answers with its own validly signed record for the key stays a minority), and of its records the
 * newest version. The lookup stops once {@code quorum} peers returned that winning version. Peers
 * that answered without it are remembered so that the driver can store the winner on the closest
 * of them: caching along the lookup path, and repair of stale replicas. Over disjoint paths the
 * quorum does not end the lookup: every path runs to its end and the k closest peers vote. Not
 * thread safe.
 */
public final class ValueLookup {
    /** What the answers said about one publisher's record for the key. */
    private static final class Tally {
        PublishedRecord newest;
        final Set<NodeId> holders = new HashSet<>();
        final Set<NodeId> holdersOfNewest = new HashSet<>();
    }

    private final DhtKey key;
    private final PeerLookup peers;
    private final RecordCheck check;
    private final int quorum;
    private final Counters counters;
    private final Map<NodeId, Tally> tallies = new LinkedHashMap<>();
    private final List<PeerInfo> answeredPeers = new ArrayList<>();
    private final Set<NodeId> answered = new HashSet<>();
    private final boolean earlyStop;

    public ValueLookup(DhtKey key, PeerLookup peers, RecordCheck check, int quorum, Counters counters) {
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum must be at least 1");
        }
        this.key = key;
        this.peers = peers;
        this.check = check;
        this.quorum = quorum;
        this.counters = counters;
        // over disjoint paths (the hardened mode) every path runs to its end: colluders answering
        // first on one path could otherwise end the get with a quorum of their own
        this.earlyStop = !(peers instanceof DisjointPathsLookup);
    }

    public PeerLookup peers() {
        return peers;
    }

    /**
     * {@code from} answered a find-value request. A peer answers once: a repeated answer from the
     * same peer is ignored, so that one peer cannot make up a quorum on its own.
     *
     * @return the verdict on the record it carried, if any (empty for an ignored repeat)
     */
    public Optional<Verdict> onValue(PeerInfo from, Optional<PublishedRecord> record, List<PeerInfo> closer, long nowMillis) {
        if (!answered.add(from.nodeId())) {
            return Optional.empty();
        }
        answeredPeers.add(from);
        Optional<Verdict> verdict = Optional.empty();
        if (record.isPresent()) {
            PublishedRecord candidate = record.get();
            Verdict v = candidate.record().key().equals(key) ? check.check(candidate, nowMillis) : Verdict.FORGED;
            verdict = Optional.of(v);
            if (v != Verdict.VALID) {
                counters.add(v.counterName());
            } else {
                count(from.nodeId(), candidate);
            }
        }
        peers.onResponse(from.nodeId(), closer, nowMillis);
        if (earlyStop && tallies.size() == 1 && copies() >= quorum) {
            peers.finish(); // while two publishers compete, only the k closest peers can settle it
        }
        return verdict;
    }

    private void count(NodeId holder, PublishedRecord candidate) {
        Tally t = tallies.computeIfAbsent(candidate.record().publisher(), p -> new Tally());
        t.holders.add(holder);
        if (t.newest == null || candidate.record().version() > t.newest.record().version()) {
            t.newest = candidate;
            t.holdersOfNewest.clear();
            t.holdersOfNewest.add(holder);
        } else if (candidate.record().version() == t.newest.record().version()) {
            t.holdersOfNewest.add(holder);
        }
    }

    public void onFailure(NodeId from, long nowMillis) {
        peers.onFailure(from, nowMillis);
    }

    /** The winning valid record found so far (a tombstone included). */
    public Optional<PublishedRecord> best() {
        return winner().map(t -> t.newest);
    }

    /** Peers that returned the winning record. */
    public int copies() {
        return winner().map(t -> t.holdersOfNewest.size()).orElse(0);
    }

    /** Peers that answered without the winning record, closest to the key first. */
    public List<PeerInfo> peersLackingBest() {
        Set<NodeId> holders = winner().map(t -> t.holdersOfNewest).orElse(Set.of());
        List<PeerInfo> out = new ArrayList<>();
        for (PeerInfo p : answeredPeers) {
            if (!holders.contains(p.nodeId())) {
                out.add(p);
            }
        }
        NodeId target = key.asNodeId();
        out.sort((a, b) -> target.compareDistance(a.nodeId(), b.nodeId()));
        return out;
    }

    /**
     * The publisher most peers vouch for; of equal tallies, the one heard first. When publishers
     * compete, only the votes of the k closest peers that answered count: those are the nodes
     * that stored the key first-come, while an attacker on the lookup path is usually not one of
     * them. Without a vote among them, all votes count.
     */
    private Optional<Tally> winner() {
        Set<NodeId> closest = new HashSet<>();
        if (tallies.size() > 1) {
            peers.result().forEach(p -> closest.add(p.nodeId()));
        }
        Tally best = null;
        int bestVotes = -1;
        for (Tally t : tallies.values()) {
            int votes = votes(t, closest);
            if (votes > bestVotes) {
                best = t;
                bestVotes = votes;
            }
        }
        if (bestVotes == 0) {
            for (Tally t : tallies.values()) {
                if (best == null || t.holders.size() > best.holders.size()) {
                    best = t;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static int votes(Tally t, Set<NodeId> closest) {
        if (closest.isEmpty()) {
            return t.holders.size();
        }
        int n = 0;
        for (NodeId holder : t.holders) {
            if (closest.contains(holder)) {
                n++;
            }
        }
        return n;
    }
}
