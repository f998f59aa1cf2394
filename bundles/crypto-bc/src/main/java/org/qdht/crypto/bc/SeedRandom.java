package org.qdht.crypto.bc;

import java.security.SecureRandom;

/**
 * A "random" source that hands out the bytes of a given seed once, in order, then fails. Only for
 * deriving a key pair from a seed through a BC generator that draws its seed from a SecureRandom.
 */
final class SeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;
    private int position;

    SeedRandom(byte[] seed) {
        this.seed = seed.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        if (position + bytes.length > seed.length) {
            throw new IllegalStateException("seed exhausted: the generator asked for more bytes than the seed holds");
        }
        System.arraycopy(seed, position, bytes, 0, bytes.length);
        position += bytes.length;
    }
}
