package org.qdht.onion.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.qdht.api.anonymity.Commitment;
import org.qdht.api.anonymity.CommitmentScheme;
import org.qdht.api.anonymity.Opening;

class Sha256CommitmentsTest {
    private final Sha256Commitments scheme = new Sha256Commitments();

    @Test
    void theCommitmentIsTheDocumentedHash() throws Exception {
        byte[] nonce = new byte[Opening.NONCE_LENGTH];
        nonce[0] = 7;
        Opening opening = Opening.of("value".getBytes(StandardCharsets.UTF_8), nonce);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(CommitmentScheme.DOMAIN.getBytes(StandardCharsets.UTF_8));
        sha.update(nonce);
        sha.update("value".getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(sha.digest()), scheme.commitmentOf(opening).toHex());
    }

    @Test
    void opensOnlyToTheCommittedValueAndNonce() {
        Opening opening = scheme.commit("bid 42".getBytes(StandardCharsets.UTF_8));
        Commitment c = scheme.commitmentOf(opening);
        assertTrue(scheme.verify(c, opening));
        assertFalse(scheme.verify(c, Opening.of("bid 43".getBytes(StandardCharsets.UTF_8), opening.nonce())));
        byte[] otherNonce = opening.nonce();
        otherNonce[31] ^= 1;
        assertFalse(scheme.verify(c, Opening.of(opening.value(), otherNonce)));
    }

    @Test
    void theSameValueCommitsDifferentlyEachTime() {
        byte[] v = "yes".getBytes(StandardCharsets.UTF_8);
        assertNotEquals(scheme.commitmentOf(scheme.commit(v)), scheme.commitmentOf(scheme.commit(v)), "a fresh nonce hides equal values");
    }

    @Test
    void limitsAreEnforced() {
        assertThrows(IllegalArgumentException.class, () -> scheme.commit(new byte[Opening.MAX_VALUE_SIZE + 1]));
        Opening empty = scheme.commit(new byte[0]);
        assertTrue(scheme.verify(scheme.commitmentOf(empty), empty));
    }
}
