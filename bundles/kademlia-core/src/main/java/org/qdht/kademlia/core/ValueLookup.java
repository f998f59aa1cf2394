package org.qdht.kademlia.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.kademlia.core.RecordCheck.Verdict;

/**
 * A get: a {@link PeerLookup} towards the key whose answers may carry the record. Every record is
 * checked before it counts; the newest valid version wins, and the lookup stops once
 * {@code quorum} peers returned that same version. Peers that answered without it (or with an
 * older version) are remembered so that the driver can store the winner on the closest of them:
 * caching along the lookup path, and repair of stale replicas. Not thread safe.
 */
public final class ValueLookup {
    private final DhtKey key;
    private final PeerLookup peers;
    private final RecordCheck check;
    private final int quorum;
    private final Counters counters;
    private PublishedRecord best;
    private int copies;
    private final List<PeerInfo> lacking = new ArrayList<>();
    private final List<PeerInfo> answeredWithBest = new ArrayList<>();

    public ValueLookup(DhtKey key, PeerLookup peers, RecordCheck check, int quorum, Counters counters) {
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum must be at least 1");
        }
        this.key = key;
        this.peers = peers;
        this.check = check;
        this.quorum = quorum;
        this.counters = counters;
    }

    public PeerLookup peers() {
        return peers;
    }

    /**
     * {@code from} answered a find-value request.
     *
     * @return the verdict on the record it carried, if any
     */
    public Optional<Verdict> onValue(PeerInfo from, Optional<PublishedRecord> record, List<PeerInfo> closer, long nowMillis) {
        Optional<Verdict> verdict = Optional.empty();
        boolean hasBest = false;
        if (record.isPresent()) {
            PublishedRecord candidate = record.get();
            Verdict v = candidate.record().key().equals(key) ? check.check(candidate, nowMillis) : Verdict.FORGED;
            verdict = Optional.of(v);
            if (v != Verdict.VALID) {
                counters.add(v.counterName());
            } else if (best == null || newer(candidate.record(), best.record())) {
                best = candidate;
                copies = 1;
                lacking.addAll(answeredWithBest); // they hold an older version now
                answeredWithBest.clear();
                answeredWithBest.add(from);
                hasBest = true;
            } else if (same(candidate.record(), best.record())) {
                copies++;
                answeredWithBest.add(from);
                hasBest = true;
            }
        }
        if (!hasBest) {
            lacking.add(from);
        }
        peers.onResponse(from.nodeId(), closer, nowMillis);
        if (best != null && copies >= quorum) {
            peers.finish();
        }
        return verdict;
    }

    public void onFailure(NodeId from, long nowMillis) {
        peers.onFailure(from, nowMillis);
    }

    /** The newest valid record found so far (a tombstone included). */
    public Optional<PublishedRecord> best() {
        return Optional.ofNullable(best);
    }

    public int copies() {
        return copies;
    }

    /** Peers that answered without the winning record, closest to the key first. */
    public List<PeerInfo> peersLackingBest() {
        List<PeerInfo> out = new ArrayList<>(lacking);
        out.removeIf(p -> answeredWithBest.stream().anyMatch(b -> b.nodeId().equals(p.nodeId())));
        NodeId target = key.asNodeId();
        out.sort((a, b) -> target.compareDistance(a.nodeId(), b.nodeId()));
        return out;
    }

    private static boolean newer(Record a, Record b) {
        return a.version() > b.version();
    }

    private static boolean same(Record a, Record b) {
        return a.version() == b.version() && a.publisher().equals(b.publisher());
    }
}
