package org.qdht.kademlia.simulator;

import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.kademlia.core.Counters;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.FindValue;
import org.qdht.kademlia.core.DhtMessage.Request;
import org.qdht.kademlia.core.DhtMessage.Store;
import org.qdht.kademlia.core.DhtMessage.Value;
import org.qdht.kademlia.core.DisjointPathsLookup;
import org.qdht.kademlia.core.KademliaParameters;
import org.qdht.kademlia.core.PeerLookup;
import org.qdht.kademlia.core.RecordCheck;
import org.qdht.kademlia.core.ValueLookup;

/**
 * A get: the core's {@link ValueLookup} over a lookup towards the key, with FindValue requests.
 * When it is done, the winning record is stored on the closest peer that answered without it
 * (caching along the path and repair of stale replicas, as ValueLookup suggests), in the same
 * traffic as the get.
 */
final class GetRun extends QueryRun {
    private final DhtKey key;
    private final ValueLookup values;
    private final int count;
    private final boolean repair;

    GetRun(SimNode origin, DhtKey key, KademliaParameters parameters, RecordCheck check, int quorum, Counters counters,
            boolean repair) {
        super(origin);
        this.key = key;
        NodeId target = key.asNodeId();
        List<PeerInfo> seeds = origin.table().lookupSeeds(target);
        PeerLookup peers = DisjointPathsLookup.of(target, origin.id(), seeds, parameters, origin.table()::timeoutMillis);
        this.values = new ValueLookup(key, peers, check, quorum, counters);
        this.count = parameters.k();
        this.repair = repair;
    }

    @Override
    PeerLookup lookup() {
        return values.peers();
    }

    Optional<PublishedRecord> best() {
        return values.best();
    }

    @Override
    Request request(int requestId, PeerInfo peer) {
        return new FindValue(requestId, origin.sender(), key, count);
    }

    @Override
    void answered(PeerInfo peer, Answer answer, long nowMillis) {
        if (answer instanceof Value value) {
            values.onValue(peer, value.record(), value.closer(), nowMillis);
        } else {
            values.onFailure(peer.nodeId(), nowMillis);
        }
    }

    @Override
    void failed(NodeId peer, long nowMillis) {
        values.onFailure(peer, nowMillis);
    }

    @Override
    void finished() {
        Optional<PublishedRecord> best = values.best();
        List<PeerInfo> lacking = values.peersLackingBest();
        if (repair && best.isPresent() && !lacking.isEmpty()) {
            PeerInfo closest = lacking.get(0);
            origin.request(closest, rid -> new Store(rid, origin.sender(), best.get()), origin.table().timeoutMillis(closest.nodeId()),
                    traffic(), Publishing.IGNORE_REPLY);
        }
    }
}
