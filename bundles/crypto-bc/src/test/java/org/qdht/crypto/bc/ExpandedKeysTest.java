package org.qdht.crypto.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.SecretBytes;

class ExpandedKeysTest {
    @Test
    void expandsOncePerSecretAndWipesWhenTheSecretIsDestroyed() throws Exception {
        List<String> wiped = new ArrayList<>();
        ExpandedKeys<String> keys = new ExpandedKeys<>(wiped::add);
        AtomicInteger expansions = new AtomicInteger();
        SecretBytes secret = SecretBytes.copyOf(new byte[] {1, 2, 3});
        ExpandedKeys.Expander<String> expander = bytes -> "expanded-" + bytes.length + "-" + expansions.incrementAndGet();

        String first = keys.of(secret, expander);
        assertSame(first, keys.of(secret, expander));
        assertEquals(1, expansions.get(), "one expansion per secret");

        SecretBytes other = SecretBytes.copyOf(new byte[] {1, 2, 3});
        keys.of(other, expander);
        assertEquals(2, expansions.get(), "secrets are told apart by identity, not by content");

        secret.destroy();
        assertEquals(List.of(first), wiped, "the expanded key is wiped with its secret");
        CryptoException e = assertThrows(CryptoException.class, () -> keys.of(secret, expander));
        assertEquals(CryptoException.Reason.KEY_DESTROYED, e.reason());
    }

    @Test
    void realKeysAreUnusableAfterDestroyAndTheirExpansionIsWiped() throws Exception {
        MlDsa mlDsa = new MlDsa(org.qdht.api.SuiteId.XWING_MLDSA65,
                org.bouncycastle.crypto.params.MLDSAParameters.ml_dsa_65, new java.security.SecureRandom());
        org.qdht.api.crypto.KeyPair pair = mlDsa.generateKeyPair();
        byte[] message = {42};
        assertTrue(mlDsa.verify(pair.publicKey(), message, mlDsa.sign(pair, message)));
        pair.destroy();
        assertEquals(CryptoException.Reason.KEY_DESTROYED,
                assertThrows(CryptoException.class, () -> mlDsa.sign(pair, message)).reason());
    }
}
