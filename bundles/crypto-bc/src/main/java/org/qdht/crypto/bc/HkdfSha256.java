package org.qdht.crypto.bc;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoException.Reason;
import org.qdht.api.crypto.Kdf;
import org.qdht.api.crypto.SecretBytes;

/** HKDF with SHA-256 (RFC 5869). Stateless and thread safe. */
public final class HkdfSha256 implements Kdf {
    private static final int MAX_OUTPUT = 255 * 32;

    @Override
    public String algorithm() {
        return "HKDF-SHA-256";
    }

    @Override
    public int maxOutputSize() {
        return MAX_OUTPUT;
    }

    @Override
    public SecretBytes derive(byte[] salt, SecretBytes inputKey, byte[] info, int length) throws CryptoException {
        if (length <= 0 || length > MAX_OUTPUT) {
            throw new CryptoException(Reason.MALFORMED_INPUT, "HKDF-SHA-256 output must be 1-" + MAX_OUTPUT + " bytes, asked " + length);
        }
        return inputKey.use(ikm -> derive(salt, ikm, info, length));
    }

    /** HKDF over raw input keying material, which may be empty (RFC 5869 allows it). */
    public SecretBytes derive(byte[] salt, byte[] ikm, byte[] info, int length) throws CryptoException {
        if (length <= 0 || length > MAX_OUTPUT) {
            throw new CryptoException(Reason.MALFORMED_INPUT, "HKDF-SHA-256 output must be 1-" + MAX_OUTPUT + " bytes, asked " + length);
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt == null || salt.length == 0 ? null : salt, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return SecretBytes.wrap(out);
    }

    @Override
    public String toString() {
        return algorithm();
    }
}
