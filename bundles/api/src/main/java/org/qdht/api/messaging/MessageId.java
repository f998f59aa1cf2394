package org.qdht.api.messaging;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * Identifies one message: 16 random bytes chosen by the sender. Receivers deduplicate by it. Immutable
 * and thread safe.
 */
public final class MessageId {
    public static final int LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private MessageId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException unless {@code bytes} has {@value #LENGTH} bytes */
    public static MessageId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("MessageId must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new MessageId(bytes.clone());
    }

    /** Parses 32 hexadecimal digits. */
    public static MessageId fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("MessageId must be " + (2 * LENGTH) + " hex digits");
        }
        try {
            return new MessageId(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MessageId is not hexadecimal: " + hex);
        }
    }

    /** A fresh identifier from a cryptographically strong random source. */
    public static MessageId random() {
        byte[] bytes = new byte[LENGTH];
        RANDOM.nextBytes(bytes);
        return new MessageId(bytes);
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

    public static MessageId readFrom(WireReader in) throws WireFormatException {
        return new MessageId(in.fixed(LENGTH, "message id"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId && Arrays.equals(bytes, ((MessageId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "MessageId[" + toHex() + "]";
    }
}
