package org.qdht.crypto.bc;

import java.security.SecureRandom;

/**
 * Test double of the random source, for known-answer tests only: a "SecureRandom" that hands out
 * the bytes it was given (a vector's encapsulation randomness {@code m}, a signature's {@code rnd}),
 * in order, once, and then fails. A test can so replay the randomness a vector was made with and
 * check that the code under test drew exactly that much ({@link #exhausted()}). Never random.
 */
final class FixedBytesRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private int position;

    FixedBytesRandom(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A source that refuses every draw: for operations that must not use randomness at all. */
    static FixedBytesRandom none() {
        return new FixedBytesRandom(new byte[0]);
    }

    /** FIPS 204's deterministic signing variant: {@code rnd} is 32 zero bytes. */
    static FixedBytesRandom zeros(int length) {
        return new FixedBytesRandom(new byte[length]);
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        if (position + out.length > bytes.length) {
            throw new IllegalStateException("test double asked for " + out.length + " bytes, has "
                    + (bytes.length - position) + " of " + bytes.length + " left");
        }
        System.arraycopy(bytes, position, out, 0, out.length);
        position += out.length;
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        byte[] out = new byte[numBytes];
        nextBytes(out);
        return out;
    }

    @Override
    public void setSeed(byte[] seed) {
        // fixed output: seeding changes nothing
    }

    @Override
    public void setSeed(long seed) {
        // fixed output: seeding changes nothing (also called by Random's constructor)
    }

    /** Whether every given byte has been handed out. */
    synchronized boolean exhausted() {
        return position == bytes.length;
    }
}
