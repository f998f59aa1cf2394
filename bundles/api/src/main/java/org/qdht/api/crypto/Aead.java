package org.qdht.api.crypto;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Authenticated encryption with associated data (ChaCha20-Poly1305, AES-256-GCM). Thread safe.
 * Nonces must never repeat under one key: the caller (the secure channel) owns the counter.
 */
@ProviderType
public interface Aead {
    /** Standard name, e.g. {@code ChaCha20-Poly1305}. */
    String algorithm();

    int keySize();

    int nonceSize();

    int tagSize();

    /** Encrypts and authenticates; the result is the ciphertext followed by the tag. */
    byte[] seal(SecretBytes key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws CryptoException;

    /**
     * Verifies and decrypts.
     *
     * @throws CryptoException {@code AUTHENTICATION_FAILED} when the tag does not verify; no
     *         plaintext is released in that case
     */
    byte[] open(SecretBytes key, byte[] nonce, byte[] associatedData, byte[] ciphertext) throws CryptoException;
}
