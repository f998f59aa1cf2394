package org.qdht.api;

import java.util.Arrays;
import java.util.HexFormat;

import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A node's 256-bit identifier in the Kademlia key space: the hash of the node's long-term public
 * key and suite, as computed by the node's crypto suite. Immutable and thread safe; ordered as an
 * unsigned big-endian number.
 */
public final class NodeId implements Comparable<NodeId> {
    /** Length of a node identifier in bytes. */
    public static final int LENGTH = 32;
    /** Number of bits, which is also the number of k-buckets of a full routing table. */
    public static final int BITS = LENGTH * 8;

    public static final WireCodec<NodeId> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.NODE_ID;
        }

        @Override
        public int maxBodySize() {
            return LENGTH;
        }

        @Override
        public void write(NodeId value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public NodeId read(WireReader in) throws WireFormatException {
            return NodeId.readFrom(in);
        }
    };

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException unless {@code bytes} has {@value #LENGTH} bytes */
    public static NodeId of(byte[] bytes) {
        return new NodeId(FixedBytes.copyExact(bytes, LENGTH, "NodeId"));
    }

    /** Parses 64 hexadecimal digits. */
    public static NodeId fromHex(String hex) {
        return new NodeId(FixedBytes.parseHex(hex, LENGTH, "NodeId"));
    }

    /** A copy of the identifier's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** The XOR distance to {@code other}, as 32 big-endian bytes. */
    public byte[] distanceTo(NodeId other) {
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return out;
    }

    /**
     * Number of leading bits shared with {@code other} (256 for the same identifier); the k-bucket
     * index of {@code other} in this node's table is {@code 255 - commonPrefixLength(other)}.
     */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xFF;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Compares the distances of {@code a} and {@code b} to this identifier: negative if {@code a} is closer. */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xFF;
            int db = (b.bytes[i] ^ bytes[i]) & 0xFF;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** Writes the 32 bytes without a length prefix. */
    public void writeTo(WireWriter out) {
        out.raw(bytes);
    }

    public static NodeId readFrom(WireReader in) throws WireFormatException {
        return new NodeId(in.fixed(LENGTH, "node id"));
    }

    @Override
    public int compareTo(NodeId o) {
        return FixedBytes.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId && Arrays.equals(bytes, ((NodeId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The first 16 hex digits, enough to tell nodes apart in logs and tables. */
    public String toShortString() {
        return toHex().substring(0, 16);
    }

    @Override
    public String toString() {
        return "NodeId[" + toHex() + "]";
    }
}
