package org.qdht.onion.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.qdht.api.KeyId;
import org.qdht.crypto.bc.Suites;
import org.qdht.onion.internal.RelayKeys.EpochKey;

class RelayKeysTest {
    private final RelayKeys keys = new RelayKeys(Suites.xwingMlDsa65(new SecureRandom()).kem());

    @Test
    void keepsTheCurrentAndNextEpochAndDestroysKeysOneEpochAfterTheirOwn() {
        List<EpochKey> first = keys.rotate(10);
        assertEquals(2, first.size(), "current and next epoch created");
        KeyId ten = keys.forEpoch(10).orElseThrow().keyId();
        assertEquals(List.of(), keys.rotate(10), "nothing new within the epoch");
        assertEquals(1, keys.rotate(11).size(), "epoch 12 created when 11 begins");
        assertTrue(keys.find(ten).isPresent(), "epoch 10's key serves late packets during epoch 11");
        keys.rotate(12);
        assertTrue(keys.find(ten).isEmpty(), "epoch 10's key is destroyed when epoch 12 begins");
        assertTrue(keys.wasDestroyed(ten));
        assertTrue(first.get(0).keyPair().secretKey().isDestroyed(), "its secret is wiped");
        assertFalse(keys.wasDestroyed(keys.forEpoch(12).orElseThrow().keyId()));
    }
}
