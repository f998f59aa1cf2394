package org.qdht.api.node;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;

/**
 * A snapshot of a node's state for operators and tools. Absent parts are absent: a node without a
 * crypto suite has no NodeId and says so in {@link #problems()}, rather than showing a made-up one.
 * Immutable and thread safe.
 *
 * @param name          the node's configured name, unique in its framework
 * @param state         life-cycle state
 * @param mode          server or client
 * @param nodeId        the NodeId, once an identity exists (needs a crypto suite)
 * @param activeSuite   the suite the node signs and exchanges keys with, if one is available
 * @param routing       the routing algorithm serving the node (e.g. {@code kademlia}), if any
 * @param addresses     addresses the node listens on (empty until a transport serves it)
 * @param dataDirectory absolute path of the node's data area
 * @param startedAt     when the node was activated
 * @param problems      what keeps the node from full service, in words an operator can act on
 */
public record NodeStatus(String name, NodeState state, NodeMode mode, Optional<NodeId> nodeId,
        Optional<SuiteId> activeSuite, Optional<String> routing, List<PeerAddress> addresses, String dataDirectory,
        Instant startedAt, List<String> problems) {

    public NodeStatus {
        if (name == null || state == null || mode == null || nodeId == null || activeSuite == null || routing == null
                || addresses == null || dataDirectory == null || startedAt == null || problems == null) {
            throw new IllegalArgumentException("node status fields must not be null");
        }
        addresses = List.copyOf(addresses);
        problems = List.copyOf(problems);
    }
}
