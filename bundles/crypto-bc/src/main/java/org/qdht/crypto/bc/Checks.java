package org.qdht.crypto.bc;

import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoException.Reason;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SuiteSignature;

/**
 * Argument checks shared by the schemes (and by suite bundles written outside this package), each
 * failing with a {@link CryptoException} a caller can act on.
 */
public final class Checks {
    private Checks() {
    }

    public static void sameSuite(SuiteId expected, SuiteId actual, String what) throws CryptoException {
        if (!expected.equals(actual)) {
            throw new CryptoException(Reason.SUITE_MISMATCH, what + " belongs to suite " + actual + ", not " + expected);
        }
    }

    public static void publicKey(SuiteId suite, KeyPurpose purpose, int size, EncodedPublicKey key) throws CryptoException {
        sameSuite(suite, key.suite(), "public key");
        if (key.purpose() != purpose) {
            throw new CryptoException(Reason.SUITE_MISMATCH, "a " + key.purpose() + " key cannot be used for " + purpose);
        }
        if (key.size() != size) {
            throw new CryptoException(Reason.MALFORMED_INPUT, "public key is " + key.size() + " bytes, expected " + size);
        }
    }

    public static void keyPair(SuiteId suite, KeyPurpose purpose, KeyPair pair) throws CryptoException {
        sameSuite(suite, pair.publicKey().suite(), "key pair");
        if (pair.publicKey().purpose() != purpose) {
            throw new CryptoException(Reason.SUITE_MISMATCH, "a " + pair.publicKey().purpose() + " key pair cannot be used for " + purpose);
        }
    }

    /** A signature key of this suite and size, and a signature of this suite made by that key. */
    public static void signatureByKey(SuiteId suite, int keySize, EncodedPublicKey key, SuiteSignature signature)
            throws CryptoException {
        publicKey(suite, KeyPurpose.SIGNATURE, keySize, key);
        sameSuite(suite, signature.suite(), "signature");
        if (!signature.keyId().equals(key.keyId())) {
            throw new CryptoException(Reason.SUITE_MISMATCH, "signature names key " + signature.keyId().toHex()
                    + ", not the key " + key.keyId().toHex() + " given to verify it");
        }
    }

    public static void length(byte[] bytes, int expected, String what) throws CryptoException {
        if (bytes == null || bytes.length != expected) {
            throw new CryptoException(Reason.MALFORMED_INPUT, what + " must be " + expected + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
    }
}
