package org.qdht.api.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.qdht.api.NodeId;
import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A 256-bit key in the same space as {@link NodeId}s: records are stored on the nodes whose
 * identifiers are closest to it. Immutable and thread safe.
 */
public final class DhtKey {
    public static final int LENGTH = NodeId.LENGTH;

    public static final WireCodec<DhtKey> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.DHT_KEY;
        }

        @Override
        public int maxBodySize() {
            return LENGTH;
        }

        @Override
        public void write(DhtKey value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public DhtKey read(WireReader in) throws WireFormatException {
            return DhtKey.readFrom(in);
        }
    };

    private final NodeId point;

    private DhtKey(NodeId point) {
        this.point = point;
    }

    public static DhtKey of(byte[] bytes) {
        return new DhtKey(NodeId.of(bytes));
    }

    public static DhtKey fromHex(String hex) {
        return new DhtKey(NodeId.fromHex(hex));
    }

    /**
     * The key of a human-readable name: SHA-256 of its UTF-8 bytes. This is how the shell's
     * {@code qdht:put name value} addresses records; protocols that need unlinkable keys derive
     * their own.
     */
    public static DhtKey ofName(String name) {
        try {
            return of(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** This key as a point of the node identifier space, for distance computations. */
    public NodeId asNodeId() {
        return point;
    }

    public byte[] bytes() {
        return point.bytes();
    }

    public String toHex() {
        return HexFormat.of().formatHex(point.bytes());
    }

    public void writeTo(WireWriter out) {
        point.writeTo(out);
    }

    public static DhtKey readFrom(WireReader in) throws WireFormatException {
        return new DhtKey(NodeId.readFrom(in));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhtKey && ((DhtKey) o).point.equals(point);
    }

    @Override
    public int hashCode() {
        return point.hashCode();
    }

    @Override
    public String toString() {
        return "DhtKey[" + toHex() + "]";
    }
}
