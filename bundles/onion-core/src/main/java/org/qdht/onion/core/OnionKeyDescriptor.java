package org.qdht.onion.core;

import java.util.List;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * What a relay publishes in the DHT for one epoch: its onion (KEM) public key for that epoch and
 * the addresses to send packets to. It travels as the value of a record the relay signs with its
 * node identity, stored under {@link #keyFor}, so a client trusts it exactly as far as it trusts
 * the relay's NodeId. Immutable.
 *
 * <pre>
 *   version u8 (1) | relay NodeId (32) | epoch i64 | addresses list (1-8 PeerAddress) | onion key (EncodedPublicKey)
 * </pre>
 */
public record OnionKeyDescriptor(NodeId relay, long epoch, List<PeerAddress> addresses, EncodedPublicKey onionKey) {
    public static final int VERSION = 1;
    public static final int MAX_SIZE = 1 + NodeId.LENGTH + 8 + 1 + PeerInfo.MAX_ADDRESSES * PeerAddress.MAX_ENCODED_SIZE
            + EncodedPublicKey.MAX_ENCODED_SIZE;

    public OnionKeyDescriptor {
        if (relay == null || addresses == null || onionKey == null) {
            throw new IllegalArgumentException("descriptor fields must not be null");
        }
        if (addresses.isEmpty() || addresses.size() > PeerInfo.MAX_ADDRESSES) {
            throw new IllegalArgumentException("a relay announces 1-" + PeerInfo.MAX_ADDRESSES + " addresses, got " + addresses.size());
        }
        if (onionKey.purpose() != KeyPurpose.KEM) {
            throw new IllegalArgumentException("an onion key is a KEM key, got a " + onionKey.purpose() + " key");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative");
        }
        addresses = List.copyOf(addresses);
    }

    /** Where the descriptor of {@code relay} for {@code epoch} is stored: anyone who knows the relay can compute it. */
    public static DhtKey keyFor(NodeId relay, long epoch) {
        return DhtKey.ofName("qdht/onion-key/v1/" + relay.toHex() + "/" + epoch);
    }

    public byte[] encode() {
        WireWriter out = new WireWriter(2_048);
        out.u8(VERSION);
        relay.writeTo(out);
        out.i64(epoch);
        out.list(addresses, PeerInfo.MAX_ADDRESSES, PeerAddress::writeTo);
        onionKey.writeTo(out);
        return out.toByteArray();
    }

    /** @throws WireFormatException for anything but one well-formed descriptor, with nothing after it */
    public static OnionKeyDescriptor decode(byte[] bytes) throws WireFormatException {
        if (bytes.length > MAX_SIZE) {
            throw new WireFormatException(WireFormatException.Reason.OVERSIZED, 0, "onion key descriptor of " + bytes.length + " bytes");
        }
        WireReader in = new WireReader(bytes);
        int version = in.u8("descriptor version");
        if (version != VERSION) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, 0, "unknown onion key descriptor version " + version);
        }
        NodeId relay = NodeId.readFrom(in);
        long epoch = in.i64("epoch");
        List<PeerAddress> addresses = in.list(PeerInfo.MAX_ADDRESSES, "relay addresses", PeerAddress::readFrom);
        EncodedPublicKey key = EncodedPublicKey.readFrom(in);
        in.expectEnd("onion key descriptor");
        try {
            return new OnionKeyDescriptor(relay, epoch, addresses, key);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, in.position(), e.getMessage());
        }
    }
}
