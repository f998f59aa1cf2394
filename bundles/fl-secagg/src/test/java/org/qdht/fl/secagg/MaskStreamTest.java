package org.qdht.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class MaskStreamTest {
    @Test
    void matchesTheChaCha20KnownAnswer() {
        // RFC 8439 appendix A.1, test vector 1: zero key, zero nonce, counter 0; keystream 76 b8 e0 ad a0 f1 3d 90 ...
        int[] mask = MaskStream.expand(new byte[32], 2);
        assertEquals(0xade0b876, mask[0]);
        assertEquals(0x903df1a0, mask[1]);
    }

    @Test
    void subtractingUndoesAddingAcrossChunks() {
        byte[] seed = new byte[32];
        seed[5] = 9;
        int[] v = new int[40_001];
        Arrays.setAll(v, i -> i * 31);
        int[] original = v.clone();
        MaskStream.apply(v, seed, false);
        assertFalse(Arrays.equals(original, v));
        MaskStream.apply(v, seed, true);
        assertArrayEquals(original, v);
    }

    @Test
    void aLongerMaskExtendsAShorterOne() {
        byte[] seed = new byte[32];
        seed[0] = 1;
        int[] longer = MaskStream.expand(seed, 50_000);
        assertArrayEquals(MaskStream.expand(seed, 20_000), Arrays.copyOf(longer, 20_000));
    }
}
