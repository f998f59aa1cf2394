package org.qdht.api.crypto;

import org.osgi.annotation.versioning.ProviderType;

/** An extract-and-expand key derivation function (HKDF-SHA-256, HKDF-SHA3-256). Thread safe. */
@ProviderType
public interface Kdf {
    /** Standard name, e.g. {@code HKDF-SHA-256}. */
    String algorithm();

    /** Largest output of one derivation (255 hash lengths for HKDF). */
    int maxOutputSize();

    /** Derives {@code length} bytes from {@code inputKey}, bound to {@code salt} and {@code info}. */
    SecretBytes derive(byte[] salt, SecretBytes inputKey, byte[] info, int length) throws CryptoException;
}
