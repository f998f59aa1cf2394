package org.qdht.onion.internal;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.onion.core.Hop;

/**
 * A relay a client may route through in one epoch: its NodeId, where to reach it, and its onion
 * key for that epoch, taken from a descriptor the relay signed. Immutable.
 */
record RelayInfo(NodeId nodeId, PeerAddress address, EncodedPublicKey onionKey, long epoch) {
    Hop hop() {
        return new Hop(nodeId, address, onionKey);
    }

    /** The network the relay is in, for path diversity: an IPv4 /16, an IPv6 /32, or, on loopback, the port. */
    String networkGroup() {
        return NetworkGroup.of(address);
    }
}
