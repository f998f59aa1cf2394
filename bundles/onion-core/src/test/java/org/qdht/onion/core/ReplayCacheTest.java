package org.qdht.onion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayCacheTest {
    @Test
    void secondSightingIsAReplay() {
        ReplayCache cache = new ReplayCache(100);
        byte[] tag = TestNodes.randomBytes(32);
        assertTrue(cache.firstSeen(7, tag));
        assertFalse(cache.firstSeen(7, tag.clone()));
        assertEquals(1, cache.replays());
        assertTrue(cache.firstSeen(7, TestNodes.randomBytes(32)));
        assertEquals(2, cache.size());
    }

    @Test
    void epochsAreSeparateAndForgottenOnes() {
        ReplayCache cache = new ReplayCache(100);
        byte[] tag = TestNodes.randomBytes(32);
        assertTrue(cache.firstSeen(1, tag));
        assertTrue(cache.firstSeen(2, tag), "another epoch is another onion key, so another packet");
        assertTrue(cache.firstSeen(2, TestNodes.randomBytes(32)));
        cache.forgetBefore(2);
        assertEquals(2, cache.size());
        assertFalse(cache.firstSeen(1, tag), "a forgotten epoch refuses rather than forgetting the replay");
        assertFalse(cache.firstSeen(1, TestNodes.randomBytes(32)));
        assertEquals(2, cache.rejectedStale());
        assertFalse(cache.firstSeen(2, tag));
    }

    @Test
    void fullEpochRefusesNewTags() {
        ReplayCache cache = new ReplayCache(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(cache.firstSeen(1, TestNodes.randomBytes(32)));
        }
        assertFalse(cache.firstSeen(1, TestNodes.randomBytes(32)));
        assertEquals(1, cache.rejectedFull());
        assertEquals(3, cache.size());
        assertTrue(cache.firstSeen(2, TestNodes.randomBytes(32)), "the bound is per epoch");
    }

    @Test
    void aNewerEpochBeyondTheBoundRetiresTheOldest() {
        ReplayCache cache = new ReplayCache(10);
        for (long epoch = 10; epoch < 10 + ReplayCache.MAX_EPOCHS; epoch++) {
            assertTrue(cache.firstSeen(epoch, TestNodes.randomBytes(32)));
        }
        assertFalse(cache.firstSeen(5, TestNodes.randomBytes(32)), "older than every kept epoch");
        assertTrue(cache.firstSeen(100, TestNodes.randomBytes(32)));
        assertEquals(ReplayCache.MAX_EPOCHS, cache.size());
        assertFalse(cache.firstSeen(10, TestNodes.randomBytes(32)), "the retired epoch stays refused");
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayCache(0));
        assertThrows(IllegalArgumentException.class, () -> new ReplayCache(1).firstSeen(1, new byte[31]));
    }
}
