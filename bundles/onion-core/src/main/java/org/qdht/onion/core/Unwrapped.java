package org.qdht.onion.core;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;

/**
 * What one hop makes of a packet: a packet to pass on, or the payload for this node. Either way the
 * caller checks {@link #replayTag()} against its {@link ReplayCache} before acting. Arrays are the
 * caller's.
 */
public sealed interface Unwrapped permits Unwrapped.Relay, Unwrapped.Deliver {
    /** 32 bytes derived from the hop's KEM secret: the same packet always gives the same tag. */
    byte[] replayTag();

    /** Send {@code packet} to {@code nextNode} at {@code nextAddress}. */
    record Relay(NodeId nextNode, PeerAddress nextAddress, byte[] packet, byte[] replayTag) implements Unwrapped {
    }

    /**
     * This node is the last hop. {@code payload} is the payload with this hop's layer removed: for
     * a request, {@link PacketFormat#openForward}; for a reply, {@link SurbSecrets#open}.
     */
    record Deliver(byte[] payload, byte[] replayTag) implements Unwrapped {
    }
}
