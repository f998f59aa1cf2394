package org.qdht.fl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;

/** Clipping, Gaussian noise and DP-FedAvg's budget. */
class PrivacyTest {
    @Test
    void clippedUpdatesNeverExceedTheBound() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int trial = 0; trial < 500; trial++) {
            float[] update = new float[1 + rng.nextInt(300)];
            double scale = Math.pow(10, rng.nextInt(-3, 4));
            for (int i = 0; i < update.length; i++) {
                update[i] = (float) (rng.nextGaussian() * scale);
            }
            double bound = rng.nextDouble(0.01, 5);
            float[] clipped = Clipping.clipL2(update, bound);
            assertTrue(Clipping.l2Norm(clipped) <= bound, "norm " + Clipping.l2Norm(clipped) + " > " + bound);
            if (Clipping.l2Norm(update) > bound) {
                assertEquals(bound, Clipping.l2Norm(clipped), bound * 1e-5, "a long update is scaled onto the bound");
                // direction kept: the clipped vector is a positive multiple of the update
                double ratio = clipped[0] / (double) update[0];
                for (int i = 0; i < update.length; i++) {
                    assertEquals(update[i] * ratio, clipped[i], 1e-5 * Math.abs(clipped[i]) + 1e-30);
                }
            }
        }
    }

    @Test
    void shortUpdatesAreUnchanged() {
        float[] update = {0.3f, -0.4f};
        assertArrayEquals(update, Clipping.clipL2(update, 0.6), 0f);
        assertArrayEquals(update, Clipping.clipL2(update, 10), 0f);
        assertArrayEquals(new float[] {0.6f, -0.8f}, Clipping.clipL2(new float[] {3, -4}, 1), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Clipping.clipL2(update, 0));
    }

    @Test
    void noiseHasTheRequestedStandardDeviation() {
        float[] sum = new float[200_000];
        java.util.Arrays.fill(sum, 3f);
        float[] noisy = GaussianNoise.add(sum, 2.0, new SplittableRandom(3));
        double mean = 0;
        double square = 0;
        for (float v : noisy) {
            mean += v - 3;
            square += (v - 3) * (v - 3);
        }
        mean /= sum.length;
        double std = Math.sqrt(square / sum.length - mean * mean);
        // standard errors: mean 2/sqrt(n) = 0.0045, std about 2/sqrt(2n) = 0.0032
        assertEquals(0, mean, 0.02);
        assertEquals(2.0, std, 0.015);
        assertArrayEquals(sum, GaussianNoise.add(sum, 0, new SplittableRandom(3)), 0f);
    }

    @Test
    void mechanismClipsNoisesAveragesAndCharges() throws LearningException {
        DpFedAvg dp = new DpFedAvg(100, 1e-5, Double.POSITIVE_INFINITY, new SplittableRandom(1));
        ModelUpdate a = new ModelUpdate(0, ModelParameters.of(new float[] {30, 40}), 5, Map.of());
        ModelUpdate b = new ModelUpdate(0, ModelParameters.of(new float[] {0.1f, 0}), 500, Map.of());
        assertEquals(1.0, dp.clip(a, 1.0).delta().l2Norm(), 1e-6);
        assertTrue(dp.clip(a, 1.0).delta().l2Norm() <= 1.0);
        // noise multiplier 0 would be unbounded epsilon: check the averaging with a tiny multiplier instead
        ModelParameters mean = dp.aggregate(List.of(a, b), 1e-9, 1.0);
        // equal weights, not by sample count: ([0.6, 0.8] + [0.1, 0]) / 2
        assertEquals(0.35, mean.get(0), 1e-6);
        assertEquals(0.4, mean.get(1), 1e-6);
        assertEquals(1, dp.spent().rounds());
    }

    @Test
    void refusesARoundBeyondTheBudgetWithoutCharging() throws LearningException {
        DpFedAvg dp = new DpFedAvg(10, 1e-5, 3.0, new SplittableRandom(1));
        ModelParameters sum = ModelParameters.of(new float[] {1, 2});
        int released = 0;
        while (true) {
            try {
                dp.addNoise(sum, 2.0, 1.0, 10);
                released++;
            } catch (LearningException e) {
                assertEquals(LearningException.Reason.PRIVACY_BUDGET_EXHAUSTED, e.reason());
                break;
            }
        }
        assertTrue(released >= 1);
        assertEquals(released, dp.spent().rounds());
        assertTrue(dp.spent().epsilon() <= 3.0);
        RdpAccountant check = new RdpAccountant(1e-5);
        check.compose(1.0, 2.0, released + 1);
        assertTrue(check.epsilon() > 3.0, "the refused round would indeed have exceeded the budget");
    }
}
