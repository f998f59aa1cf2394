package org.qdht.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class QuantizerTest {
    private static float[] gaussian(int n, double sigma, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            out[i] = (float) (sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return out;
    }

    @Test
    void nearestRoundingErrsByAtMostHalfAStep() {
        Quantizer q = new Quantizer(1.0, 1000, 100);
        float[] x = gaussian(50_000, 0.3, 1);
        float[] back = q.dequantize(q.quantize(x, Quantizer.Rounding.NEAREST, 0));
        for (int i = 0; i < x.length; i++) {
            double clipped = Math.max(-1, Math.min(1, x[i]));
            assertTrue(Math.abs(back[i] - clipped) <= q.step() / 2 + 1e-6, "entry " + i);
        }
    }

    @Test
    void stochasticRoundingErrsByLessThanAStepAndIsUnbiased() {
        Quantizer q = new Quantizer(1.0, 100, 100);
        float[] x = new float[100_000];
        java.util.Arrays.fill(x, 0.123f); // between steps 0.12 and 0.13
        float[] back = q.dequantize(q.quantize(x, Quantizer.Rounding.STOCHASTIC, 7));
        double mean = 0;
        for (float b : back) {
            assertTrue(Math.abs(b - 0.123) < q.step() + 1e-6);
            mean += b;
        }
        mean /= back.length;
        // standard error of the mean is about 0.0046 * step / sqrt(1e5); 0.0003 is more than ten of them
        assertEquals(0.123, mean, 0.0003);
    }

    @Test
    void sameSeedSameOutputOtherSeedDiffers() {
        Quantizer q = new Quantizer(1.0, 100, 10);
        float[] x = gaussian(1_000, 0.3, 2);
        assertArrayEquals(q.quantize(x, Quantizer.Rounding.STOCHASTIC, 5), q.quantize(x, Quantizer.Rounding.STOCHASTIC, 5));
        assertTrue(!java.util.Arrays.equals(q.quantize(x, Quantizer.Rounding.STOCHASTIC, 5), q.quantize(x, Quantizer.Rounding.STOCHASTIC, 6)));
    }

    @Test
    void valuesOutsideTheRangeAreClipped() {
        Quantizer q = new Quantizer(2.0, 10, 10);
        assertArrayEquals(new int[] {20, -20, 5}, q.quantize(new float[] {7f, Float.NEGATIVE_INFINITY, 0.5f}, Quantizer.Rounding.NEAREST, 0));
    }

    @Test
    void extremeSumsOfMaxClientsDoNotWrap() {
        int n = 1_000;
        Quantizer q = Quantizer.forClients(4.0, n);
        float[] high = {4f, -4f, Float.MAX_VALUE};
        int[] sum = new int[3];
        for (int c = 0; c < n; c++) {
            int[] v = q.quantize(high, Quantizer.Rounding.STOCHASTIC, c);
            for (int i = 0; i < 3; i++) {
                sum[i] += v[i];
            }
        }
        float[] back = q.dequantize(sum);
        assertEquals(4.0 * n, back[0], 1e-3 * n);
        assertEquals(-4.0 * n, back[1], 1e-3 * n);
        assertEquals(4.0 * n, back[2], 1e-3 * n);
    }

    @Test
    void aScaleThatWouldWrapIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Quantizer(1.0, 1 << 24, 200));
        assertTrue(e.getMessage().contains("allows at most 127 clients"), e.getMessage());
        new Quantizer(1.0, 1 << 24, 127);
    }

    @Test
    void nanIsRefused() {
        Quantizer q = new Quantizer(1.0, 10, 10);
        assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[] {Float.NaN}, Quantizer.Rounding.NEAREST, 0));
    }
}
