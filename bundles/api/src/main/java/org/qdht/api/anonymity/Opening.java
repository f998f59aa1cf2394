package org.qdht.api.anonymity;

import java.security.MessageDigest;
import java.util.Arrays;

import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * What opens a {@link Commitment}: the committed value and the random nonce that hid it. Keep it
 * secret until the reveal: anyone holding it can check a guess of the value. Limits: value at most
 * {@value #MAX_VALUE_SIZE} bytes, nonce exactly {@value #NONCE_LENGTH} bytes. Immutable and thread
 * safe; {@link #toString()} shows neither value nor nonce.
 */
public final class Opening {
    public static final int NONCE_LENGTH = 32;
    public static final int MAX_VALUE_SIZE = 65_536;

    private final byte[] value;
    private final byte[] nonce;

    private Opening(byte[] value, byte[] nonce) {
        this.value = value;
        this.nonce = nonce;
    }

    /** @throws IllegalArgumentException for a null or oversized value, or a nonce of the wrong length */
    public static Opening of(byte[] value, byte[] nonce) {
        if (value == null || value.length > MAX_VALUE_SIZE) {
            throw new IllegalArgumentException("committed value must be 0-" + MAX_VALUE_SIZE + " bytes, got "
                    + (value == null ? "null" : value.length));
        }
        if (nonce == null || nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("commitment nonce must be " + NONCE_LENGTH + " bytes, got "
                    + (nonce == null ? "null" : nonce.length));
        }
        return new Opening(value.clone(), nonce.clone());
    }

    /** A copy of the committed value. */
    public byte[] value() {
        return value.clone();
    }

    /** A copy of the nonce. */
    public byte[] nonce() {
        return nonce.clone();
    }

    /** Writes the value with a varint length, then the nonce. */
    public void writeTo(WireWriter out) {
        out.bytes(value, MAX_VALUE_SIZE).raw(nonce);
    }

    public static Opening readFrom(WireReader in) throws WireFormatException {
        byte[] value = in.bytes(MAX_VALUE_SIZE, "committed value");
        byte[] nonce = in.fixed(NONCE_LENGTH, "commitment nonce");
        return new Opening(value, nonce);
    }

    /** Compares in time independent of where the contents differ. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Opening && MessageDigest.isEqual(value, ((Opening) o).value)
                && MessageDigest.isEqual(nonce, ((Opening) o).nonce);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "Opening[value " + value.length + " B]";
    }
}
