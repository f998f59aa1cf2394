package org.qdht.api.crypto;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A key encapsulation mechanism (ML-KEM, X-Wing, HQC hybrids). Thread safe. Keys and ciphertexts
 * of another suite are refused with {@link CryptoException.Reason#SUITE_MISMATCH}; malformed ones
 * with {@link CryptoException.Reason#MALFORMED_INPUT}. A ciphertext that is well-formed but was not
 * made for the key decapsulates to an unrelated secret (implicit rejection, as FIPS 203 specifies),
 * so the failure shows later, when an AEAD tag does not verify.
 */
@ProviderType
public interface KemScheme {
    /** Standard name of the algorithm, e.g. {@code ML-KEM-768} or {@code X-Wing}. */
    String algorithm();

    int publicKeySize();

    int ciphertextSize();

    int sharedSecretSize();

    /** A fresh key pair from the suite's random source. */
    KeyPair generateKeyPair();

    /**
     * The key pair determined by {@code seed} (FIPS 203 {@code d || z}, X-Wing's 32-byte seed), for
     * known-answer tests and keys derived from a master secret.
     */
    KeyPair deriveKeyPair(byte[] seed) throws CryptoException;

    /** Makes a shared secret for the owner of {@code recipient}. */
    Encapsulation encapsulate(EncodedPublicKey recipient) throws CryptoException;

    /** Recovers the shared secret from {@code ciphertext} with the secret half of {@code keyPair}. */
    SecretBytes decapsulate(KeyPair keyPair, KemCiphertext ciphertext) throws CryptoException;
}
