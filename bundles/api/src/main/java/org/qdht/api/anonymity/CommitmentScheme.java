package org.qdht.api.anonymity;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes and checks hash commitments. Every provider computes the same commitment, so that nodes
 * with different providers interoperate:
 * <pre>
 *   commitment = SHA-256( UTF-8({@value #DOMAIN}) || nonce || value )
 * </pre>
 * with a fresh nonce of {@value Opening#NONCE_LENGTH} bytes from a cryptographically strong random
 * source. The label and the nonce have fixed lengths, so the input is unambiguous. The scheme is
 * the same under every crypto suite. Thread safe.
 */
@ProviderType
public interface CommitmentScheme {
    /** Domain label that starts every hashed input. */
    String DOMAIN = "qdht/commitment/v1";

    /**
     * Commits to {@code value} with a fresh nonce. Publish {@link #commitmentOf(Opening)} of the
     * result now and reveal the opening later.
     *
     * @throws IllegalArgumentException if {@code value} is longer than {@value Opening#MAX_VALUE_SIZE} bytes
     */
    Opening commit(byte[] value);

    /** The commitment {@code opening} opens. Deterministic. */
    Commitment commitmentOf(Opening opening);

    /** Whether {@code opening} opens {@code commitment}; compares in constant time. */
    boolean verify(Commitment commitment, Opening opening);
}
