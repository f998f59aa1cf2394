package org.qdht.api;

import java.util.Arrays;
import java.util.HexFormat;

import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * Names one public key: the first 16 bytes of
 * {@code SHA-256("qdht/key-id/v1" || u16 suite code || u8 purpose || encoded public key)}
 * (see {@code CryptoSuite#keyIdOf}). Carried by every signature and ciphertext so that the
 * receiver can pick the key to verify or decrypt with. Immutable and thread safe.
 */
public final class KeyId {
    public static final int LENGTH = 16;

    public static final WireCodec<KeyId> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.KEY_ID;
        }

        @Override
        public int maxBodySize() {
            return LENGTH;
        }

        @Override
        public void write(KeyId value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public KeyId read(WireReader in) throws WireFormatException {
            return KeyId.readFrom(in);
        }
    };

    private final byte[] bytes;

    private KeyId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static KeyId of(byte[] bytes) {
        return new KeyId(FixedBytes.copyExact(bytes, LENGTH, "KeyId"));
    }

    public static KeyId fromHex(String hex) {
        return new KeyId(FixedBytes.parseHex(hex, LENGTH, "KeyId"));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    public void writeTo(WireWriter out) {
        out.raw(bytes);
    }

    public static KeyId readFrom(WireReader in) throws WireFormatException {
        return new KeyId(in.fixed(LENGTH, "key id"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyId && Arrays.equals(bytes, ((KeyId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "KeyId[" + toHex() + "]";
    }
}
