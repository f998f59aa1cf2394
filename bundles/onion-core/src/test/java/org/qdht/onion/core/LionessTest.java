package org.qdht.onion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LionessTest {
    @ParameterizedTest(name = "{0}-byte block")
    @ValueSource(ints = {33, 64, 1000, 16_384})
    void decryptUndoesEncrypt(int size) {
        byte[] key = TestNodes.randomBytes(Lioness.KEY_SIZE);
        byte[] plain = TestNodes.randomBytes(size);
        byte[] block = plain.clone();
        Lioness.encrypt(key, block);
        assertFalse(Arrays.equals(plain, block));
        Lioness.decrypt(key, block);
        assertArrayEquals(plain, block);
        Lioness.decrypt(key, block);
        Lioness.encrypt(key, block);
        assertArrayEquals(plain, block, "encrypt also undoes decrypt, as the reply path needs");
    }

    @Test
    void oneFlippedCiphertextBitGarblesAboutHalfThePlaintext() {
        byte[] key = TestNodes.randomBytes(Lioness.KEY_SIZE);
        byte[] plain = new byte[16_384];
        for (int bit : new int[] {0, 255, 256, 70_000, 16_384 * 8 - 1}) {
            byte[] block = plain.clone();
            Lioness.encrypt(key, block);
            byte[] changed = TestNodes.flipBit(block, bit);
            Lioness.decrypt(key, changed);
            double fraction = differingBits(plain, changed) / (plain.length * 8.0);
            assertTrue(fraction > 0.48 && fraction < 0.52, "bit " + bit + " changed " + fraction + " of the bits");
            assertFalse(Arrays.equals(Arrays.copyOf(plain, 16), Arrays.copyOf(changed, 16)), "the zero prefix is garbled");
        }
    }

    @Test
    void keysGiveDifferentPermutations() {
        byte[] plain = new byte[256];
        byte[] a = plain.clone();
        byte[] b = plain.clone();
        Lioness.encrypt(TestNodes.randomBytes(Lioness.KEY_SIZE), a);
        Lioness.encrypt(TestNodes.randomBytes(Lioness.KEY_SIZE), b);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void refusesShortBlocksAndKeys() {
        assertThrows(IllegalArgumentException.class, () -> Lioness.encrypt(new byte[Lioness.KEY_SIZE], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> new Lioness(new byte[127]));
    }

    private static int differingBits(byte[] a, byte[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += Integer.bitCount((a[i] ^ b[i]) & 0xFF);
        }
        return n;
    }
}
