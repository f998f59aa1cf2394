package org.qdht.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What the server sees of one client, its masked vector, shows nothing of the input: no
 * correlation, and values spread evenly over the int range, while the unmasked sum is exact.
 */
class MaskedInputPrivacyTest {
    private static final int LENGTH = 100_000;
    private static final int BUCKETS = 256;
    /** The chi-square with 255 degrees of freedom exceeds 350 with probability about 1e-4. */
    private static final double CHI_SQUARE_LIMIT = 350;

    @Test
    void aMaskedVectorLooksUniformAndUncorrelated() throws Exception {
        // a strongly structured input: a quantised sawtooth with small values
        RoundSimulation.Outcome o = new RoundSimulation(10, LENGTH, 1234)
                .inputs((id, length, random) -> {
                    int[] x = new int[length];
                    for (int i = 0; i < length; i++) {
                        x[i] = (i % 1_000) * 1_000 * id;
                    }
                    return x;
                })
                .silence(RoundSimulation.Silence.BEFORE_MASKED_INPUT, 9).run();
        int client = RoundSimulation.idOf(3);
        int[] input = o.inputs().get(client);
        int[] masked = o.masked().get(client).masked();

        assertTrue(chiSquare(input) > 100 * CHI_SQUARE_LIMIT, "the test must tell a structured vector from a uniform one");
        double chi = chiSquare(masked);
        assertTrue(chi < CHI_SQUARE_LIMIT, "masked values are not spread evenly: chi-square " + chi);
        double r = correlation(input, masked);
        // for independent vectors r has a standard deviation of 1/sqrt(1e5) = 0.003
        assertTrue(Math.abs(r) < 0.02, "masked vector correlates with the input: r = " + r);
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
    }

    /** Chi-square of the top eight bits of each value against 256 equally likely buckets. */
    static double chiSquare(int[] values) {
        long[] counts = new long[BUCKETS];
        for (int v : values) {
            counts[v >>> 24]++;
        }
        double expected = (double) values.length / BUCKETS;
        double chi = 0;
        for (long c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return chi;
    }

    static double correlation(int[] a, int[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return cov / Math.sqrt(va * vb);
    }
}
