package org.qdht.api.routing;

import java.util.List;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A peer as routing knows it: its identifier and the addresses it can be reached at (at most
 * {@value #MAX_ADDRESSES}, at least one). Immutable and thread safe.
 */
public final class PeerInfo {
    /** A node announces few addresses: one per transport and address family is the norm. */
    public static final int MAX_ADDRESSES = 8;
    public static final int MAX_ENCODED_SIZE = NodeId.LENGTH + 1 + MAX_ADDRESSES * PeerAddress.MAX_ENCODED_SIZE;

    public static final WireCodec<PeerInfo> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.PEER_INFO;
        }

        @Override
        public int maxBodySize() {
            return MAX_ENCODED_SIZE;
        }

        @Override
        public void write(PeerInfo value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public PeerInfo read(WireReader in) throws WireFormatException {
            return PeerInfo.readFrom(in);
        }
    };

    private final NodeId nodeId;
    private final List<PeerAddress> addresses;

    private PeerInfo(NodeId nodeId, List<PeerAddress> addresses) {
        this.nodeId = nodeId;
        this.addresses = addresses;
    }

    /** @throws IllegalArgumentException for no address or more than {@value #MAX_ADDRESSES} */
    public static PeerInfo of(NodeId nodeId, List<PeerAddress> addresses) {
        if (nodeId == null) {
            throw new IllegalArgumentException("peer needs a node id");
        }
        if (addresses == null || addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("peer needs 1-" + MAX_ADDRESSES + " addresses, got "
                    + (addresses == null ? 0 : addresses.size()));
        }
        return new PeerInfo(nodeId, List.copyOf(addresses));
    }

    public NodeId nodeId() {
        return nodeId;
    }

    /** Unmodifiable list of addresses, preferred first. */
    public List<PeerAddress> addresses() {
        return addresses;
    }

    public void writeTo(WireWriter out) {
        nodeId.writeTo(out);
        out.list(addresses, MAX_ADDRESSES, PeerAddress::writeTo);
    }

    public static PeerInfo readFrom(WireReader in) throws WireFormatException {
        NodeId id = NodeId.readFrom(in);
        int at = in.position();
        List<PeerAddress> addresses = in.list(MAX_ADDRESSES, "peer addresses", PeerAddress::readFrom);
        if (addresses.isEmpty()) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "peer has no address");
        }
        return new PeerInfo(id, List.copyOf(addresses));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerInfo && ((PeerInfo) o).nodeId.equals(nodeId) && ((PeerInfo) o).addresses.equals(addresses);
    }

    @Override
    public int hashCode() {
        return nodeId.hashCode() * 31 + addresses.hashCode();
    }

    @Override
    public String toString() {
        return nodeId.toShortString() + addresses;
    }
}
