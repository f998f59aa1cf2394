package org.qdht.onion.core;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;

/**
 * A packet ready to send: where to send it and its bytes (always {@link PacketFormat#packetSize()}).
 * The array is the caller's.
 */
public record Packet(NodeId firstNode, PeerAddress firstAddress, byte[] bytes) {
}
