package org.qdht.onion.core;

import java.util.Arrays;
import java.util.Objects;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * The public part of a single-use reply block, which a requester sends inside its request: the
 * reply route's first hop, the reply header, and the SURB key the responder encrypts the reply
 * with. Fixed size ({@link PacketFormat#surbSize()}): {@code first NodeId (32) | first address
 * field (80) | header | SURB key (32)}. Nothing in it names the requester in the clear. Immutable.
 */
public final class Surb {
    private final NodeId firstNode;
    private final PeerAddress firstAddress;
    private final byte[] header;
    private final byte[] key;

    Surb(NodeId firstNode, PeerAddress firstAddress, byte[] header, byte[] key) {
        this.firstNode = Objects.requireNonNull(firstNode, "firstNode");
        this.firstAddress = Objects.requireNonNull(firstAddress, "firstAddress");
        this.header = header.clone();
        this.key = key.clone();
    }

    /** Where the responder sends the reply. */
    public NodeId firstNode() {
        return firstNode;
    }

    public PeerAddress firstAddress() {
        return firstAddress;
    }

    byte[] header() {
        return header.clone();
    }

    byte[] key() {
        return key.clone();
    }

    public void writeTo(WireWriter out) {
        firstNode.writeTo(out);
        out.raw(Arrays.copyOf(AddressField.encode(firstAddress), AddressField.SIZE));
        out.raw(header);
        out.raw(key);
    }

    /**
     * Reads a SURB of {@code format}'s size. Refuses an all-zero NodeId and an address that does not
     * parse or is not zero-padded, so that a SURB has exactly one encoding.
     */
    public static Surb readFrom(WireReader in, PacketFormat format) throws WireFormatException {
        int at = in.position();
        NodeId node = NodeId.readFrom(in);
        if (Arrays.equals(node.bytes(), new byte[NodeId.LENGTH])) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "reply block names the all-zero NodeId");
        }
        byte[] addressField = in.fixed(AddressField.SIZE, "reply block address");
        PeerAddress address = AddressField.read(addressField, 0);
        byte[] header = in.fixed(format.headerSize(), "reply block header");
        byte[] key = in.fixed(PacketFormat.SURB_KEY_SIZE, "reply block key");
        return new Surb(node, address, header, key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Surb s && firstNode.equals(s.firstNode) && firstAddress.equals(s.firstAddress)
                && Arrays.equals(header, s.header) && Arrays.equals(key, s.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(header);
    }

    @Override
    public String toString() {
        return "Surb[via " + firstNode.toShortString() + " at " + firstAddress + "]";
    }
}
