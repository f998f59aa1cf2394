package org.qdht.api.crypto;

/**
 * A public key and its secret key. The secret is wiped by {@link #destroy()}; the public key stays
 * usable. Thread safe.
 *
 * @param publicKey the public half, safe to publish
 * @param secretKey the secret half in the suite's standard encoding (or its seed), wipeable
 */
public record KeyPair(EncodedPublicKey publicKey, SecretBytes secretKey) implements AutoCloseable {
    public KeyPair {
        if (publicKey == null || secretKey == null) {
            throw new IllegalArgumentException("key pair halves must not be null");
        }
    }

    /** Wipes the secret key. */
    public void destroy() {
        secretKey.destroy();
    }

    @Override
    public void close() {
        destroy();
    }
}
