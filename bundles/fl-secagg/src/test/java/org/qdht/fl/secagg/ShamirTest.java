package org.qdht.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ShamirTest {
    private final SecureRandom random = RoundSimulation.seeded(11);

    private byte[] secret() {
        byte[] s = new byte[32];
        random.nextBytes(s);
        s[0] |= (byte) 0x80; // full 256 bits, the largest secret a seed can be
        return s;
    }

    @Test
    void anyThresholdSharesReconstruct() {
        int n = 30;
        int t = SecAggLimits.threshold(n);
        int[] xs = IntStream.range(0, n).map(RoundSimulation::idOf).toArray();
        byte[] secret = secret();
        List<Shamir.Share> shares = Shamir.split(secret, t, xs, random);
        for (int trial = 0; trial < 20; trial++) {
            List<Shamir.Share> pick = new ArrayList<>(shares);
            Collections.shuffle(pick, random);
            assertArrayEquals(secret, Shamir.reconstruct(pick.subList(0, t + trial % 3), 32));
        }
    }

    @Test
    void oneShareFewerIsConsistentWithAnySecret() {
        int n = 10;
        int t = SecAggLimits.threshold(n);
        int[] xs = IntStream.rangeClosed(1, n).toArray();
        byte[] s1 = secret();
        byte[] s2 = secret();
        List<Shamir.Share> shares = Shamir.split(s1, t, xs, random);
        List<Shamir.Share> known = shares.subList(0, t - 1);

        // complete the t-1 known shares with (0, s2): a polynomial of the same degree through all of them
        List<Shamir.Share> withS2 = new ArrayList<>(known);
        int missingX = xs[t - 1];
        BigInteger forged = interpolateWithSecret(known, new BigInteger(1, s2), missingX);
        withS2.add(new Shamir.Share(missingX, forged));
        assertArrayEquals(s2, Shamir.reconstruct(withS2, 32));

        List<Shamir.Share> withTrue = new ArrayList<>(known);
        withTrue.add(shares.get(t - 1));
        assertArrayEquals(s1, Shamir.reconstruct(withTrue, 32));
        assertFalse(Arrays.equals(s1, s2));
    }

    /** The value at x of the polynomial through the shares and (0, secret), computed with Lagrange over the field. */
    private static BigInteger interpolateWithSecret(List<Shamir.Share> shares, BigInteger secret, int x) {
        List<BigInteger[]> points = new ArrayList<>();
        points.add(new BigInteger[] {BigInteger.ZERO, secret});
        shares.forEach(s -> points.add(new BigInteger[] {BigInteger.valueOf(s.x()), s.y()}));
        BigInteger p = Shamir.PRIME;
        BigInteger at = BigInteger.valueOf(x);
        BigInteger sum = BigInteger.ZERO;
        for (int j = 0; j < points.size(); j++) {
            BigInteger num = BigInteger.ONE;
            BigInteger den = BigInteger.ONE;
            for (int m = 0; m < points.size(); m++) {
                if (m != j) {
                    num = num.multiply(at.subtract(points.get(m)[0])).mod(p);
                    den = den.multiply(points.get(j)[0].subtract(points.get(m)[0])).mod(p);
                }
            }
            sum = sum.add(points.get(j)[1].multiply(num).multiply(den.modInverse(p))).mod(p);
        }
        return sum;
    }

    @Test
    void tooFewSharesGiveSomethingElse() {
        byte[] secret = secret();
        List<Shamir.Share> shares = Shamir.split(secret, 7, IntStream.rangeClosed(1, 10).toArray(), random);
        BigInteger guess = Shamir.interpolate(shares.subList(0, 6), 0);
        assertFalse(guess.equals(new BigInteger(1, secret)));
    }

    @Test
    void shareValuesRoundTripThroughTheirBytes() {
        List<Shamir.Share> shares = Shamir.split(secret(), 2, new int[] {1, 2, 3}, random);
        for (Shamir.Share s : shares) {
            assertEquals(s, Shamir.Share.of(s.x(), s.valueBytes()).orElseThrow());
        }
        byte[] tooBig = new byte[Shamir.VALUE_LENGTH];
        Arrays.fill(tooBig, (byte) 0xFF);
        assertFalse(Shamir.Share.of(1, tooBig).isPresent());
    }

    @Test
    void repeatedOrZeroXIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Shamir.split(secret(), 2, new int[] {1, 1, 2}, random));
        assertThrows(IllegalArgumentException.class, () -> Shamir.split(secret(), 2, new int[] {0, 1, 2}, random));
    }
}
