package org.qdht.kademlia.simulator;

import java.util.List;

import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.FindNode;
import org.qdht.kademlia.core.DhtMessage.Nodes;
import org.qdht.kademlia.core.DhtMessage.Request;
import org.qdht.kademlia.core.DisjointPathsLookup;
import org.qdht.kademlia.core.KademliaParameters;
import org.qdht.kademlia.core.PeerLookup;

/** A lookup of the peers closest to a target with FindNode requests, as the core's lookup asks. */
final class PeerLookupRun extends QueryRun {
    private final PeerLookup lookup;
    private final int count;

    /** A lookup from {@code origin}'s table with {@code parameters} (which may differ from the table's, to compare alpha or paths). */
    PeerLookupRun(SimNode origin, NodeId target, KademliaParameters parameters) {
        this(origin, target, parameters, origin.table().lookupSeeds(target));
    }

    /** A lookup that starts from given peers: a joining node starts from its bootstrap peer. */
    PeerLookupRun(SimNode origin, NodeId target, KademliaParameters parameters, List<PeerInfo> seeds) {
        super(origin);
        this.count = parameters.k();
        this.lookup = DisjointPathsLookup.of(target, origin.id(), seeds, parameters, origin.table()::timeoutMillis);
    }

    @Override
    PeerLookup lookup() {
        return lookup;
    }

    List<PeerInfo> result() {
        return lookup.result();
    }

    @Override
    Request request(int requestId, PeerInfo peer) {
        return new FindNode(requestId, origin.sender(), lookup.target(), count);
    }

    @Override
    void answered(PeerInfo peer, Answer answer, long nowMillis) {
        if (answer instanceof Nodes nodes) {
            lookup.onResponse(peer.nodeId(), nodes.peers(), nowMillis);
        } else {
            lookup.onFailure(peer.nodeId(), nowMillis); // a refusal (client mode) is no answer to a lookup
        }
    }
}
