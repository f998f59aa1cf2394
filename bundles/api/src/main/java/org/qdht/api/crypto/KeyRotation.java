package org.qdht.api.crypto;

import java.nio.charset.StandardCharsets;

import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A signed statement that a node's identity moves from one key to another (after a suite switch
 * or a scheduled rotation): the old key signs the new key and the time, so peers that trust the old
 * key can follow. Immutable and thread safe.
 *
 * @param oldKey          the key being replaced
 * @param newKey          the key taking over
 * @param issuedAtMillis  when the rotation was made, milliseconds since the epoch
 * @param signature       the old key's signature over {@link #toBeSigned()}
 */
public record KeyRotation(EncodedPublicKey oldKey, EncodedPublicKey newKey, long issuedAtMillis,
        SuiteSignature signature) {
    /** Domain label at the start of the signed bytes. */
    public static final String SIGNING_DOMAIN = "qdht/key-rotation/v1";
    public static final int MAX_ENCODED_SIZE = 2 * EncodedPublicKey.MAX_ENCODED_SIZE + 8 + SuiteSignature.MAX_ENCODED_SIZE;

    public static final WireCodec<KeyRotation> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.KEY_ROTATION;
        }

        @Override
        public int maxBodySize() {
            return MAX_ENCODED_SIZE;
        }

        @Override
        public void write(KeyRotation value, WireWriter out) {
            value.oldKey.writeTo(out);
            value.newKey.writeTo(out);
            out.i64(value.issuedAtMillis);
            value.signature.writeTo(out);
        }

        @Override
        public KeyRotation read(WireReader in) throws WireFormatException {
            EncodedPublicKey oldKey = EncodedPublicKey.readFrom(in);
            EncodedPublicKey newKey = EncodedPublicKey.readFrom(in);
            int at = in.position();
            long issued = in.i64("rotation time");
            SuiteSignature signature = SuiteSignature.readFrom(in);
            try {
                return new KeyRotation(oldKey, newKey, issued, signature);
            } catch (IllegalArgumentException e) {
                throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, e.getMessage());
            }
        }
    };

    public KeyRotation {
        if (oldKey == null || newKey == null || signature == null) {
            throw new IllegalArgumentException("key rotation fields must not be null");
        }
        if (oldKey.purpose() != KeyPurpose.SIGNATURE || newKey.purpose() != KeyPurpose.SIGNATURE) {
            throw new IllegalArgumentException("a key rotation moves signature keys only");
        }
        if (!signature.keyId().equals(oldKey.keyId()) || !signature.suite().equals(oldKey.suite())) {
            throw new IllegalArgumentException("a key rotation must be signed by the old key");
        }
        if (issuedAtMillis < 0) {
            throw new IllegalArgumentException("rotation time must not be negative");
        }
    }

    /** The bytes the old key signs: domain label, both keys and the time. */
    public static byte[] toBeSigned(EncodedPublicKey oldKey, EncodedPublicKey newKey, long issuedAtMillis) {
        WireWriter out = new WireWriter();
        out.bytes(SIGNING_DOMAIN.getBytes(StandardCharsets.UTF_8), 32);
        oldKey.writeTo(out);
        newKey.writeTo(out);
        out.i64(issuedAtMillis);
        return out.toByteArray();
    }

    public byte[] toBeSigned() {
        return toBeSigned(oldKey, newKey, issuedAtMillis);
    }
}
