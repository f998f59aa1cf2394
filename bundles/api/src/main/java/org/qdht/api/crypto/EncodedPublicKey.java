package org.qdht.api.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.qdht.api.KeyId;
import org.qdht.api.SuiteId;
import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A public key in its standard encoding (FIPS 203/204/205 byte strings, X-Wing's concatenation),
 * tagged with its suite, purpose and key id. The id is always {@link #keyIdOf} of the key: a
 * claimed id that does not match is refused, here and by the decoder. At most {@value #MAX_KEY_SIZE} bytes (HQC-256 keys are
 * the largest in use, 7,245 bytes). Immutable and thread safe.
 */
public final class EncodedPublicKey {
    public static final int MAX_KEY_SIZE = 8_192;
    public static final int MAX_ENCODED_SIZE = 2 + 1 + KeyId.LENGTH + 2 + MAX_KEY_SIZE;

    public static final WireCodec<EncodedPublicKey> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.PUBLIC_KEY;
        }

        @Override
        public int maxBodySize() {
            return MAX_ENCODED_SIZE;
        }

        @Override
        public void write(EncodedPublicKey value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public EncodedPublicKey read(WireReader in) throws WireFormatException {
            return EncodedPublicKey.readFrom(in);
        }
    };

    private static final byte[] KEY_ID_LABEL = "qdht/key-id/v1".getBytes(StandardCharsets.US_ASCII);

    private final SuiteId suite;
    private final KeyPurpose purpose;
    /** Derived on first use when not given: many keys (ephemeral KEM keys) never need their id. */
    private volatile KeyId keyId;
    private final byte[] key;

    private EncodedPublicKey(SuiteId suite, KeyPurpose purpose, KeyId keyId, byte[] key) {
        this.suite = suite;
        this.purpose = purpose;
        this.keyId = keyId;
        this.key = key;
    }

    /** A key whose id is {@link #keyIdOf} of its bytes, derived when first asked for. */
    public static EncodedPublicKey of(SuiteId suite, KeyPurpose purpose, byte[] key) {
        if (suite == null || purpose == null || key == null) {
            throw new IllegalArgumentException("public key fields must not be null");
        }
        if (key.length == 0 || key.length > MAX_KEY_SIZE) {
            throw new IllegalArgumentException("public key must be 1-" + MAX_KEY_SIZE + " bytes, got " + key.length);
        }
        return new EncodedPublicKey(suite, purpose, null, key.clone());
    }

    /**
     * The key id every suite gives a public key: the first {@value KeyId#LENGTH} bytes of
     * {@code SHA-256("qdht/key-id/v1" || u16 suite code || u8 purpose code || key)}.
     */
    public static KeyId keyIdOf(SuiteId suite, KeyPurpose purpose, byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(KEY_ID_LABEL);
            sha.update((byte) (suite.code() >>> 8));
            sha.update((byte) suite.code());
            sha.update((byte) purpose.code());
            sha.update(key);
            return KeyId.of(Arrays.copyOf(sha.digest(), KeyId.LENGTH));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * A key with the id it claims, which must be {@link #keyIdOf} of its bytes.
     *
     * @throws IllegalArgumentException if the id does not belong to the key
     */
    public static EncodedPublicKey of(SuiteId suite, KeyPurpose purpose, KeyId keyId, byte[] key) {
        if (suite == null || purpose == null || keyId == null || key == null) {
            throw new IllegalArgumentException("public key fields must not be null");
        }
        if (key.length == 0 || key.length > MAX_KEY_SIZE) {
            throw new IllegalArgumentException("public key must be 1-" + MAX_KEY_SIZE + " bytes, got " + key.length);
        }
        if (!keyId.equals(keyIdOf(suite, purpose, key))) {
            throw new IllegalArgumentException("key id " + keyId.toHex() + " does not belong to this " + suite + " key");
        }
        return new EncodedPublicKey(suite, purpose, keyId, key.clone());
    }

    public SuiteId suite() {
        return suite;
    }

    public KeyPurpose purpose() {
        return purpose;
    }

    public KeyId keyId() {
        KeyId id = keyId;
        if (id == null) {
            id = keyIdOf(suite, purpose, key);
            keyId = id;
        }
        return id;
    }

    /** A copy of the encoded key. */
    public byte[] key() {
        return key.clone();
    }

    public int size() {
        return key.length;
    }

    public void writeTo(WireWriter out) {
        suite.writeTo(out);
        out.u8(purpose.code());
        keyId().writeTo(out);
        out.bytes(key, MAX_KEY_SIZE);
    }

    public static EncodedPublicKey readFrom(WireReader in) throws WireFormatException {
        SuiteId suite = SuiteId.readFrom(in);
        int at = in.position();
        int purposeCode = in.u8("key purpose");
        KeyPurpose purpose;
        try {
            purpose = KeyPurpose.ofCode(purposeCode);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, e.getMessage());
        }
        KeyId keyId = KeyId.readFrom(in);
        at = in.position();
        byte[] key = in.bytes(MAX_KEY_SIZE, "public key");
        if (key.length == 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "public key is empty");
        }
        if (!keyId.equals(keyIdOf(suite, purpose, key))) {
            // a key paired with another key's id would let a peer claim that key's signatures
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "key id does not belong to the public key");
        }
        return new EncodedPublicKey(suite, purpose, keyId, key);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EncodedPublicKey)) {
            return false;
        }
        EncodedPublicKey k = (EncodedPublicKey) o;
        return suite.equals(k.suite) && purpose == k.purpose && keyId().equals(k.keyId()) && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "PublicKey[" + suite + " " + purpose + " " + keyId().toHex() + ", " + key.length + " B]";
    }
}
