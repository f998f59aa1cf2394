package org.qdht.channel.internal;

/**
 * Sliding-window replay protection over message counters (as in RFC 6479 and IPsec): accepts a
 * counter once, also out of order within the last {@value #SIZE} counters, and refuses anything
 * older. {@link #isFresh} is checked before decrypting, {@link #mark} after the tag verified, so a
 * forged packet cannot move the window. Thread safe.
 */
final class ReplayWindow {
    static final int SIZE = 4096;

    private final long[] bits = new long[SIZE / 64];
    private long highest = -1;

    /** Why a counter is not fresh: seen before (a replay) or older than the window (late, or a replay we can no longer tell). */
    enum Verdict { FRESH, SEEN, TOO_OLD }

    synchronized Verdict check(long counter) {
        if (counter < 0 || (counter <= highest && highest - counter >= SIZE)) {
            return Verdict.TOO_OLD;
        }
        return counter > highest || !isSet(counter) ? Verdict.FRESH : Verdict.SEEN;
    }

    synchronized boolean isFresh(long counter) {
        if (counter < 0) {
            return false;
        }
        if (counter > highest) {
            return true;
        }
        if (highest - counter >= SIZE) {
            return false;
        }
        return !isSet(counter);
    }

    /** Records {@code counter}; false if it was already recorded or is too old (a replay that raced past {@link #isFresh}). */
    synchronized boolean mark(long counter) {
        if (!isFresh(counter)) {
            return false;
        }
        if (counter > highest) {
            long shift = counter - highest;
            if (shift >= SIZE) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long c = highest + 1; c < counter; c++) {
                    clear(c);
                }
            }
            highest = counter;
        }
        set(counter);
        return true;
    }

    private boolean isSet(long counter) {
        int bit = (int) (counter % SIZE);
        return (bits[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void set(long counter) {
        int bit = (int) (counter % SIZE);
        bits[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long counter) {
        int bit = (int) (counter % SIZE);
        bits[bit >>> 6] &= ~(1L << (bit & 63));
    }
}
