package org.qdht.onion.core;

import java.util.Arrays;

/**
 * LIONESS (Anderson and Biham 1996), a wide-block cipher over the whole payload, from ChaCha20 as
 * the stream cipher S and HMAC-SHA-256 as the keyed hash H. The block is split into L (the first
 * {@value #LEFT} bytes) and R (the rest); encryption is
 * {@code R ^= S(L ^ K1); L ^= H_K2(R); R ^= S(L ^ K3); L ^= H_K4(R)}.
 *
 * <p>Why a wide block: a change to any bit of a ciphertext turns the whole decryption into noise,
 * so a relay that tags a payload cannot follow the tag to the exit; the recipient sees a wrong zero
 * prefix instead. Not thread safe; {@link #destroy()} wipes the subkeys.
 */
final class Lioness {
    /** Four 32-byte subkeys. */
    static final int KEY_SIZE = 4 * ChaCha20.KEY_SIZE;
    static final int LEFT = ChaCha20.KEY_SIZE;
    /** R must not be empty. */
    static final int MIN_BLOCK_SIZE = LEFT + 1;

    private final byte[] k1;
    private final byte[] k2;
    private final byte[] k3;
    private final byte[] k4;

    /** @param key {@value #KEY_SIZE} bytes: K1, K2, K3, K4 in order; copied */
    Lioness(byte[] key) {
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("LIONESS key must be " + KEY_SIZE + " bytes, got " + key.length);
        }
        k1 = Arrays.copyOfRange(key, 0, 32);
        k2 = Arrays.copyOfRange(key, 32, 64);
        k3 = Arrays.copyOfRange(key, 64, 96);
        k4 = Arrays.copyOfRange(key, 96, 128);
    }

    /** Encrypts {@code block} in place with a one-off instance whose subkeys are wiped after. */
    static void encrypt(byte[] key, byte[] block) {
        Lioness lioness = new Lioness(key);
        lioness.encrypt(block);
        lioness.destroy();
    }

    /** Decrypts {@code block} in place with a one-off instance whose subkeys are wiped after. */
    static void decrypt(byte[] key, byte[] block) {
        Lioness lioness = new Lioness(key);
        lioness.decrypt(block);
        lioness.destroy();
    }

    void encrypt(byte[] block) {
        checkSize(block);
        streamRound(block, k1);
        hashRound(block, k2);
        streamRound(block, k3);
        hashRound(block, k4);
    }

    void decrypt(byte[] block) {
        checkSize(block);
        hashRound(block, k4);
        streamRound(block, k3);
        hashRound(block, k2);
        streamRound(block, k1);
    }

    void destroy() {
        Arrays.fill(k1, (byte) 0);
        Arrays.fill(k2, (byte) 0);
        Arrays.fill(k3, (byte) 0);
        Arrays.fill(k4, (byte) 0);
    }

    /** R ^= S(L ^ K). */
    private static void streamRound(byte[] block, byte[] subkey) {
        byte[] key = new byte[LEFT];
        for (int i = 0; i < LEFT; i++) {
            key[i] = (byte) (block[i] ^ subkey[i]);
        }
        ChaCha20.xor(key, block, LEFT, block.length - LEFT);
        Arrays.fill(key, (byte) 0);
    }

    /** L ^= H_K(R). */
    private static void hashRound(byte[] block, byte[] subkey) {
        byte[] h = HmacSha256.mac(subkey, block, LEFT, block.length - LEFT);
        for (int i = 0; i < LEFT; i++) {
            block[i] ^= h[i];
        }
    }

    private static void checkSize(byte[] block) {
        if (block.length < MIN_BLOCK_SIZE) {
            throw new IllegalArgumentException("LIONESS block must be at least " + MIN_BLOCK_SIZE + " bytes, got " + block.length);
        }
    }
}
