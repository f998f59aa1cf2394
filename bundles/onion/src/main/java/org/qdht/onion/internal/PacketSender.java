package org.qdht.onion.internal;

import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureChannels;

/**
 * Sends onion packets to the next hop over the node's secure channel (protocol
 * {@link Protocols#ONION_RELAY}), which checks that the peer at the address is the NodeId the
 * packet names. Thread safe.
 */
final class PacketSender {
    private final SecureChannels channel;
    private final Counters counters;

    PacketSender(SecureChannels channel, Counters counters) {
        this.channel = channel;
        this.counters = counters;
    }

    void send(NodeId to, PeerAddress address, byte[] packet) {
        channel.connect(address, Optional.of(to)).whenComplete((session, error) -> {
            if (error != null) {
                counters.add("send-connect-failed");
                return;
            }
            try {
                session.send(Protocols.ONION_RELAY, packet);
                counters.add("packets-sent");
            } catch (Exception e) {
                counters.add("send-failed");
            }
        });
    }
}
