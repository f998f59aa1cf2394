package org.qdht.api.routing;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.NodeId;

/**
 * The routing of one node: its table of known peers and iterative lookups of the peers closest to
 * a key. Registered by a routing provider per node, with the service property
 * {@value #NODE_PROPERTY} naming the node. Thread safe.
 */
@ProviderType
public interface Routing {
    /** Service property: the name of the node this routing serves. */
    String NODE_PROPERTY = "qdht.node.name";
    /** Service property: a short name of the algorithm, e.g. {@code kademlia}. */
    String ALGORITHM_PROPERTY = "qdht.routing.algorithm";

    /** The node this routing serves. */
    NodeId self();

    /**
     * Finds up to {@code count} live peers closest to {@code target}. The stage completes with the
     * peers in increasing distance, or exceptionally with a {@link DhtException} ({@code NO_ROUTE},
     * {@code TIMEOUT}).
     */
    CompletionStage<List<PeerInfo>> lookup(NodeId target, int count);

    /** A snapshot of the routing table, closest buckets first. */
    List<PeerInfo> knownPeers();

    /** Number of peers in the routing table. */
    int size();
}
