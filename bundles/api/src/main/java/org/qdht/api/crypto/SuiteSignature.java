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
 * A signature with the suite and key that made it. At most {@value #MAX_SIGNATURE_SIZE} bytes
 * (SLH-DSA-256f, the largest FIPS 205 signature). Immutable and thread safe.
 */
public final class SuiteSignature {
    public static final int MAX_SIGNATURE_SIZE = 49_856;
    public static final int MAX_ENCODED_SIZE = 2 + KeyId.LENGTH + 3 + MAX_SIGNATURE_SIZE;

    public static final WireCodec<SuiteSignature> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.SIGNATURE;
        }

        @Override
        public int maxBodySize() {
            return MAX_ENCODED_SIZE;
        }

        @Override
        public void write(SuiteSignature value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public SuiteSignature read(WireReader in) throws WireFormatException {
            return SuiteSignature.readFrom(in);
        }
    };

    private final SuiteId suite;
    private final KeyId keyId;
    private final byte[] signature;

    private SuiteSignature(SuiteId suite, KeyId keyId, byte[] signature) {
        this.suite = suite;
        this.keyId = keyId;
        this.signature = signature;
    }

    public static SuiteSignature of(SuiteId suite, KeyId keyId, byte[] signature) {
        if (suite == null || keyId == null || signature == null) {
            throw new IllegalArgumentException("signature fields must not be null");
        }
        if (signature.length == 0 || signature.length > MAX_SIGNATURE_SIZE) {
            throw new IllegalArgumentException("signature must be 1-" + MAX_SIGNATURE_SIZE + " bytes, got " + signature.length);
        }
        return new SuiteSignature(suite, keyId, signature.clone());
    }

    public SuiteId suite() {
        return suite;
    }

    public KeyId keyId() {
        return keyId;
    }

    public byte[] bytes() {
        return signature.clone();
    }

    public int size() {
        return signature.length;
    }

    public void writeTo(WireWriter out) {
        suite.writeTo(out);
        keyId.writeTo(out);
        out.bytes(signature, MAX_SIGNATURE_SIZE);
    }

    public static SuiteSignature readFrom(WireReader in) throws WireFormatException {
        SuiteId suite = SuiteId.readFrom(in);
        KeyId keyId = KeyId.readFrom(in);
        int at = in.position();
        byte[] signature = in.bytes(MAX_SIGNATURE_SIZE, "signature");
        if (signature.length == 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "signature is empty");
        }
        return new SuiteSignature(suite, keyId, signature);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SuiteSignature)) {
            return false;
        }
        SuiteSignature s = (SuiteSignature) o;
        return suite.equals(s.suite) && keyId.equals(s.keyId) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "Signature[" + suite + " " + keyId.toHex() + ", " + signature.length + " B]";
    }
}
