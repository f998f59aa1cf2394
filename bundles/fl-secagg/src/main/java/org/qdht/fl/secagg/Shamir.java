package org.qdht.fl.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shamir secret sharing over the prime field GF(2^521 - 1): one field element holds a whole
 * 32-byte seed, so a seed is one polynomial and a share is one element. The share for client i is
 * the polynomial at x = i (client ids are 1..65535, never 0, where the secret sits). Any
 * {@code threshold} shares determine the polynomial; fewer leave every secret equally possible.
 * Thread safe (stateless).
 */
public final class Shamir {
    /** The Mersenne prime 2^521 - 1. */
    public static final BigInteger PRIME = BigInteger.ONE.shiftLeft(521).subtract(BigInteger.ONE);
    /** Bytes of a share value on the wire: 521 bits. */
    public static final int VALUE_LENGTH = 66;

    /** The polynomial's value at {@code x}. */
    public record Share(int x, BigInteger y) {
        public Share {
            if (x < 1 || x > SecAggLimits.MAX_CLIENT_ID) {
                throw new IllegalArgumentException("share x must be 1-" + SecAggLimits.MAX_CLIENT_ID + ", got " + x);
            }
            if (y.signum() < 0 || y.compareTo(PRIME) >= 0) {
                throw new IllegalArgumentException("share value is not a field element");
            }
        }

        /** The value as {@value #VALUE_LENGTH} big-endian bytes. */
        public byte[] valueBytes() {
            return toFixed(y);
        }

        /** A share from its wire value; empty when the bytes are not a field element. */
        public static java.util.Optional<Share> of(int x, byte[] value) {
            if (value.length != VALUE_LENGTH) {
                return java.util.Optional.empty();
            }
            BigInteger y = new BigInteger(1, value);
            return y.compareTo(PRIME) < 0 ? java.util.Optional.of(new Share(x, y)) : java.util.Optional.empty();
        }
    }

    private Shamir() {
    }

    /** Shares of {@code secret} for the clients {@code xs}, any {@code threshold} of which reconstruct it. */
    public static List<Share> split(byte[] secret, int threshold, int[] xs, SecureRandom random) {
        if (secret.length == 0 || secret.length > 64) {
            throw new IllegalArgumentException("secret must be 1-64 bytes to fit the field, got " + secret.length);
        }
        if (threshold < 1 || threshold > xs.length) {
            throw new IllegalArgumentException("threshold must be 1-" + xs.length + ", got " + threshold);
        }
        requireDistinct(xs);
        BigInteger[] coefficients = new BigInteger[threshold];
        coefficients[0] = new BigInteger(1, secret);
        for (int i = 1; i < threshold; i++) {
            coefficients[i] = randomElement(random);
        }
        List<Share> shares = new ArrayList<>(xs.length);
        for (int x : xs) {
            shares.add(new Share(x, evaluate(coefficients, BigInteger.valueOf(x))));
        }
        return shares;
    }

    /**
     * The secret of {@code length} bytes behind {@code shares}, which must number at least the
     * threshold it was split with: fewer give an unrelated value, which only a check outside can tell.
     *
     * @throws IllegalArgumentException if the result does not fit {@code length} bytes (shares of
     *         different secrets, or too few)
     */
    public static byte[] reconstruct(List<Share> shares, int length) {
        BigInteger secret = interpolate(shares, 0);
        if (secret.bitLength() > length * 8) {
            throw new IllegalArgumentException("the shares do not lie on the polynomial of a " + length + "-byte secret");
        }
        byte[] raw = secret.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    /** The value at {@code x} of the polynomial of degree shares-1 through {@code shares} (Lagrange). */
    public static BigInteger interpolate(List<Share> shares, int x) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("no shares to interpolate");
        }
        int[] xs = shares.stream().mapToInt(Share::x).toArray();
        requireDistinct(xs);
        BigInteger at = BigInteger.valueOf(x);
        BigInteger sum = BigInteger.ZERO;
        for (int j = 0; j < xs.length; j++) {
            BigInteger numerator = BigInteger.ONE;
            BigInteger denominator = BigInteger.ONE;
            BigInteger xj = BigInteger.valueOf(xs[j]);
            for (int m = 0; m < xs.length; m++) {
                if (m != j) {
                    BigInteger xm = BigInteger.valueOf(xs[m]);
                    numerator = numerator.multiply(at.subtract(xm)).mod(PRIME);
                    denominator = denominator.multiply(xj.subtract(xm)).mod(PRIME);
                }
            }
            BigInteger term = shares.get(j).y().multiply(numerator).mod(PRIME).multiply(denominator.modInverse(PRIME));
            sum = sum.add(term).mod(PRIME);
        }
        return sum;
    }

    private static BigInteger evaluate(BigInteger[] coefficients, BigInteger x) {
        BigInteger value = BigInteger.ZERO;
        for (int i = coefficients.length - 1; i >= 0; i--) {
            value = value.multiply(x).add(coefficients[i]).mod(PRIME);
        }
        return value;
    }

    private static BigInteger randomElement(SecureRandom random) {
        BigInteger r;
        do {
            r = new BigInteger(521, random);
        } while (r.compareTo(PRIME) >= 0);
        return r;
    }

    private static void requireDistinct(int[] xs) {
        Set<Integer> seen = new HashSet<>();
        for (int x : xs) {
            if (x < 1 || x > SecAggLimits.MAX_CLIENT_ID || !seen.add(x)) {
                throw new IllegalArgumentException("share x-coordinates must be distinct and 1-" + SecAggLimits.MAX_CLIENT_ID + ", got " + x + " twice or out of range");
            }
        }
    }

    private static byte[] toFixed(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[VALUE_LENGTH];
        int copy = Math.min(raw.length, VALUE_LENGTH);
        System.arraycopy(raw, raw.length - copy, out, VALUE_LENGTH - copy, copy);
        return out;
    }
}
