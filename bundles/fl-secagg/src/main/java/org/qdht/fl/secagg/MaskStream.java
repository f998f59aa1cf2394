package org.qdht.fl.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mask generator: the ChaCha20 keystream (RFC 8439) under a 32-byte seed, zero nonce, block
 * counter 0, read as little-endian ints. A zero nonce is safe because every seed keys exactly one
 * mask (the self-mask seed b_u, or one pairwise seed s_uv) and is never an encryption key.
 * Thread safe (stateless).
 */
public final class MaskStream {
    /** Keystream produced per cipher call: large enough to amortise the call, small enough for the cache. */
    private static final int CHUNK_INTS = 16_384;

    private MaskStream() {
    }

    /** Adds the mask of {@code seed} to {@code target} (mod 2^32), or subtracts it when {@code subtract}. */
    public static void apply(int[] target, byte[] seed, boolean subtract) {
        if (seed.length != SecAggLimits.SEED_LENGTH) {
            throw new IllegalArgumentException("mask seed must be " + SecAggLimits.SEED_LENGTH + " bytes, got " + seed.length);
        }
        Cipher chacha = keystream(seed);
        byte[] zeros = new byte[CHUNK_INTS * 4];
        byte[] stream = new byte[CHUNK_INTS * 4];
        IntBuffer ints = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        for (int start = 0; start < target.length; start += CHUNK_INTS) {
            int count = Math.min(CHUNK_INTS, target.length - start);
            try {
                chacha.update(zeros, 0, count * 4, stream, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ChaCha20 refused a buffer of the size it was given", e);
            }
            if (subtract) {
                for (int i = 0; i < count; i++) {
                    target[start + i] -= ints.get(i);
                }
            } else {
                for (int i = 0; i < count; i++) {
                    target[start + i] += ints.get(i);
                }
            }
        }
    }

    /** The mask of {@code seed} on its own, for tests and for a client that starts from zero. */
    public static int[] expand(byte[] seed, int length) {
        int[] out = new int[length];
        apply(out, seed, false);
        return out;
    }

    private static Cipher keystream(byte[] seed) {
        try {
            // a new Cipher per seed: the JDK refuses to re-initialise one with the same key and nonce
            Cipher chacha = Cipher.getInstance("ChaCha20");
            chacha.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "ChaCha20"), new ChaCha20ParameterSpec(new byte[12], 0));
            return chacha;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 11+ platform provides ChaCha20", e);
        }
    }
}
