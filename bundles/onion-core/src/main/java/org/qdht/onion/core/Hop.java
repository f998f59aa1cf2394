package org.qdht.onion.core;

import java.util.Objects;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.EncodedPublicKey;

/**
 * One hop of a route.
 *
 * @param onionKey the hop's current KEM public key (of the packet format's suite)
 */
public record Hop(NodeId nodeId, PeerAddress address, EncodedPublicKey onionKey) {
    public Hop {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(onionKey, "onionKey");
    }
}
