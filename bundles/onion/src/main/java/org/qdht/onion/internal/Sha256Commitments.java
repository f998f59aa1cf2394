package org.qdht.onion.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

import org.osgi.service.component.annotations.Component;
import org.qdht.api.anonymity.Commitment;
import org.qdht.api.anonymity.CommitmentScheme;
import org.qdht.api.anonymity.Opening;

/**
 * The hash commitments of {@link CommitmentScheme}: SHA-256 over the domain label, a fresh 32-byte
 * nonce and the value. Hiding as long as the nonce stays secret, binding as long as SHA-256 resists
 * collisions; neither depends on the crypto suite, so a commitment outlives a suite switch. Thread safe.
 */
@Component(service = CommitmentScheme.class)
public final class Sha256Commitments implements CommitmentScheme {
    private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = new SecureRandom();

    @Override
    public Opening commit(byte[] value) {
        if (value == null || value.length > Opening.MAX_VALUE_SIZE) {
            throw new IllegalArgumentException("a committed value is 0-" + Opening.MAX_VALUE_SIZE + " bytes");
        }
        byte[] nonce = new byte[Opening.NONCE_LENGTH];
        random.nextBytes(nonce);
        return Opening.of(value, nonce);
    }

    @Override
    public Commitment commitmentOf(Opening opening) {
        MessageDigest sha256 = sha256();
        sha256.update(DOMAIN_BYTES);
        sha256.update(opening.nonce());
        sha256.update(opening.value());
        return Commitment.of(sha256.digest());
    }

    @Override
    public boolean verify(Commitment commitment, Opening opening) {
        return MessageDigest.isEqual(commitment.bytes(), commitmentOf(opening).bytes());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
