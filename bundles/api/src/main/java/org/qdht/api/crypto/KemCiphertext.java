package org.qdht.api.crypto;

import java.util.Arrays;

import org.qdht.api.KeyId;
import org.qdht.api.SuiteId;
import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A KEM ciphertext with its suite and the key id of the recipient key it was made for. At most
 * {@value #MAX_CIPHERTEXT_SIZE} bytes (HQC-256 ciphertexts, 14,421 bytes, are the largest in use).
 * Immutable and thread safe.
 */
public final class KemCiphertext {
    public static final int MAX_CIPHERTEXT_SIZE = 16_384;
    public static final int MAX_ENCODED_SIZE = 2 + KeyId.LENGTH + 3 + MAX_CIPHERTEXT_SIZE;

    public static final WireCodec<KemCiphertext> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.KEM_CIPHERTEXT;
        }

        @Override
        public int maxBodySize() {
            return MAX_ENCODED_SIZE;
        }

        @Override
        public void write(KemCiphertext value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public KemCiphertext read(WireReader in) throws WireFormatException {
            return KemCiphertext.readFrom(in);
        }
    };

    private final SuiteId suite;
    private final KeyId recipientKey;
    private final byte[] ciphertext;

    private KemCiphertext(SuiteId suite, KeyId recipientKey, byte[] ciphertext) {
        this.suite = suite;
        this.recipientKey = recipientKey;
        this.ciphertext = ciphertext;
    }

    public static KemCiphertext of(SuiteId suite, KeyId recipientKey, byte[] ciphertext) {
        if (suite == null || recipientKey == null || ciphertext == null) {
            throw new IllegalArgumentException("ciphertext fields must not be null");
        }
        if (ciphertext.length == 0 || ciphertext.length > MAX_CIPHERTEXT_SIZE) {
            throw new IllegalArgumentException("KEM ciphertext must be 1-" + MAX_CIPHERTEXT_SIZE + " bytes, got "
                    + ciphertext.length);
        }
        return new KemCiphertext(suite, recipientKey, ciphertext.clone());
    }

    public SuiteId suite() {
        return suite;
    }

    public KeyId recipientKey() {
        return recipientKey;
    }

    public byte[] bytes() {
        return ciphertext.clone();
    }

    public int size() {
        return ciphertext.length;
    }

    public void writeTo(WireWriter out) {
        suite.writeTo(out);
        recipientKey.writeTo(out);
        out.bytes(ciphertext, MAX_CIPHERTEXT_SIZE);
    }

    public static KemCiphertext readFrom(WireReader in) throws WireFormatException {
        SuiteId suite = SuiteId.readFrom(in);
        KeyId keyId = KeyId.readFrom(in);
        int at = in.position();
        byte[] ct = in.bytes(MAX_CIPHERTEXT_SIZE, "KEM ciphertext");
        if (ct.length == 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "KEM ciphertext is empty");
        }
        return new KemCiphertext(suite, keyId, ct);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KemCiphertext)) {
            return false;
        }
        KemCiphertext c = (KemCiphertext) o;
        return suite.equals(c.suite) && recipientKey.equals(c.recipientKey) && Arrays.equals(ciphertext, c.ciphertext);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "KemCiphertext[" + suite + " for " + recipientKey.toHex() + ", " + ciphertext.length + " B]";
    }
}
