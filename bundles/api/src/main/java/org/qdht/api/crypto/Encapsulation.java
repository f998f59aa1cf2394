package org.qdht.api.crypto;

/**
 * The result of a KEM encapsulation: the ciphertext to send, and the shared secret to keep and
 * wipe after deriving keys from it. Thread safe.
 */
public record Encapsulation(KemCiphertext ciphertext, SecretBytes sharedSecret) implements AutoCloseable {
    public Encapsulation {
        if (ciphertext == null || sharedSecret == null) {
            throw new IllegalArgumentException("encapsulation parts must not be null");
        }
    }

    @Override
    public void close() {
        sharedSecret.destroy();
    }
}
