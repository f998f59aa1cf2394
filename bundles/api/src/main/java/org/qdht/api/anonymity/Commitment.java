package org.qdht.api.anonymity;

import java.util.Arrays;
import java.util.HexFormat;

import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A hash commitment to a value: the 32-byte SHA-256 digest defined by {@link CommitmentScheme}.
 * Suite-independent, so a commitment stays checkable across suite switches. It hides the value
 * until the {@link Opening} is revealed and binds the committer to it. Immutable and thread safe.
 */
public final class Commitment {
    public static final int LENGTH = 32;

    private final byte[] digest;

    private Commitment(byte[] digest) {
        this.digest = digest;
    }

    /** @throws IllegalArgumentException unless {@code digest} has {@value #LENGTH} bytes */
    public static Commitment of(byte[] digest) {
        if (digest == null || digest.length != LENGTH) {
            throw new IllegalArgumentException("commitment must be " + LENGTH + " bytes, got "
                    + (digest == null ? "null" : digest.length));
        }
        return new Commitment(digest.clone());
    }

    /** Parses 64 hexadecimal digits. */
    public static Commitment fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("commitment must be " + (2 * LENGTH) + " hex digits");
        }
        try {
            return new Commitment(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("commitment is not hexadecimal: " + hex);
        }
    }

    /** A copy of the digest. */
    public byte[] bytes() {
        return digest.clone();
    }

    public String toHex() {
        return HexFormat.of().formatHex(digest);
    }

    /** Writes the 32 bytes without a length prefix, for embedding in other encodings. */
    public void writeTo(WireWriter out) {
        out.raw(digest);
    }

    public static Commitment readFrom(WireReader in) throws WireFormatException {
        return new Commitment(in.fixed(LENGTH, "commitment"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Commitment && Arrays.equals(digest, ((Commitment) o).digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "Commitment[" + toHex() + "]";
    }
}
