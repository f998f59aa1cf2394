package org.qdht.api.crypto;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A signature scheme (ML-DSA, SLH-DSA). Thread safe. Signing is randomised ("hedged") unless the
 * provider documents otherwise; verification is deterministic.
 */
@ProviderType
public interface SignatureScheme {
    /** Standard name, e.g. {@code ML-DSA-65} or {@code SLH-DSA-SHA2-128f}. */
    String algorithm();

    int publicKeySize();

    /** Largest signature this scheme makes (ML-DSA and SLH-DSA signatures have a fixed size). */
    int signatureSize();

    KeyPair generateKeyPair();

    /** The key pair determined by {@code seed} (FIPS 204 {@code xi}; FIPS 205 seeds), for known answers. */
    KeyPair deriveKeyPair(byte[] seed) throws CryptoException;

    /** Signs {@code message} with the secret half of {@code keyPair}. */
    SuiteSignature sign(KeyPair keyPair, byte[] message) throws CryptoException;

    /**
     * Checks {@code signature} over {@code message}. Returns false for any signature that does not
     * verify, including malformed ones; attacker-controlled input never makes it throw.
     *
     * @throws CryptoException {@code SUITE_MISMATCH} when key or signature belong to another suite
     *         or key (a caller error, not an attack)
     */
    boolean verify(EncodedPublicKey publicKey, byte[] message, SuiteSignature signature) throws CryptoException;
}
