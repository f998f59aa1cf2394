package org.qdht.api.messaging;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * Identifies a messaging group: 16 random bytes chosen by the member that created it. Immutable and
 * thread safe.
 */
public final class GroupId {
    public static final int LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private GroupId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException unless {@code bytes} has {@value #LENGTH} bytes */
    public static GroupId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("GroupId must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new GroupId(bytes.clone());
    }

    /** Parses 32 hexadecimal digits. */
    public static GroupId fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("GroupId must be " + (2 * LENGTH) + " hex digits");
        }
        try {
            return new GroupId(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GroupId is not hexadecimal: " + hex);
        }
    }

    /** A fresh identifier from a cryptographically strong random source. */
    public static GroupId random() {
        byte[] bytes = new byte[LENGTH];
        RANDOM.nextBytes(bytes);
        return new GroupId(bytes);
    }

    /** A copy of the identifier's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Writes the 16 bytes without a length prefix. */
    public void writeTo(WireWriter out) {
        out.raw(bytes);
    }

    public static GroupId readFrom(WireReader in) throws WireFormatException {
        return new GroupId(in.fixed(LENGTH, "group id"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupId && Arrays.equals(bytes, ((GroupId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "GroupId[" + toHex() + "]";
    }
}
