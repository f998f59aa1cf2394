package org.qdht.fl.secagg;

import java.util.SplittableRandom;

/**
 * Maps float updates to integers modulo 2^32 and sums back to floats. A value is clipped to
 * [-range, range], multiplied by {@code scale} and rounded, so every quantised value q satisfies
 * |q| &lt;= qmax = floor(range * scale) + 1. The sum of n such values read as a signed int is exact
 * as long as {@code n * qmax <= 2^31 - 1}: the constructor checks this for {@code maxClients}, so
 * the sum of up to maxClients updates never wraps. Larger cohorts or ranges mean a coarser step
 * (1/scale); {@link #forClients} picks the finest step the bound allows.
 *
 * <p>Error per entry (inside the range): at most step/2 with {@link Rounding#NEAREST}, below one
 * step with {@link Rounding#STOCHASTIC}, which is unbiased (its expectation is the value itself).
 * Immutable and thread safe.
 */
public final class Quantizer {
    /** How a scaled value becomes an integer. */
    public enum Rounding {
        /** Deterministic, error at most half a step; biased for values that sit between steps. */
        NEAREST,
        /** Rounds up with probability equal to the fraction, from a seeded generator: unbiased. */
        STOCHASTIC
    }

    private final double range;
    private final double scale;
    private final int maxClients;

    public Quantizer(double range, double scale, int maxClients) {
        if (!(range > 0) || Double.isInfinite(range) || !(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("range and scale must be positive and finite, got " + range + " and " + scale);
        }
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be at least 1, got " + maxClients);
        }
        double qmax = Math.floor(range * scale) + 1;
        if (qmax * maxClients > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sums of " + maxClients + " clients would wrap: range " + range + " x scale " + scale
                    + " allows at most " + (long) (Integer.MAX_VALUE / qmax) + " clients");
        }
        this.range = range;
        this.scale = scale;
        this.maxClients = maxClients;
    }

    /** The finest step for sums of up to {@code maxClients} updates clipped to {@code range}. */
    public static Quantizer forClients(double range, int maxClients) {
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be at least 1, got " + maxClients);
        }
        long qmax = Integer.MAX_VALUE / maxClients;
        // floor(range * scale) + 1 <= qmax; one step of slack for the floating-point product
        return new Quantizer(range, (qmax - 2) / range, maxClients);
    }

    public double range() {
        return range;
    }

    public double scale() {
        return scale;
    }

    public int maxClients() {
        return maxClients;
    }

    /** The distance between two neighbouring quantised values. */
    public double step() {
        return 1 / scale;
    }

    /** Clips, scales and rounds; {@code seed} drives stochastic rounding and is ignored otherwise. */
    public int[] quantize(float[] update, Rounding rounding, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[update.length];
        for (int i = 0; i < update.length; i++) {
            float value = update[i];
            if (Float.isNaN(value)) {
                throw new IllegalArgumentException("update entry " + i + " is NaN");
            }
            double scaled = Math.max(-range, Math.min(range, value)) * scale;
            double rounded = rounding == Rounding.NEAREST ? Math.rint(scaled)
                    : Math.floor(scaled) + (random.nextDouble() < scaled - Math.floor(scaled) ? 1 : 0);
            out[i] = (int) rounded;
        }
        return out;
    }

    /** Reads a sum of quantised updates as signed integers and scales it back. */
    public float[] dequantize(int[] sum) {
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            out[i] = (float) (sum[i] / scale);
        }
        return out;
    }
}
