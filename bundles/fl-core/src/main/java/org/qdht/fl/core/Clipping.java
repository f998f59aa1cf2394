package org.qdht.fl.core;

/**
 * Flat L2 clipping of a client's update (DP-FedAvg, McMahan et al. 2018): bounds each client's
 * contribution to the sum, which is what the Gaussian noise is calibrated to.
 */
public final class Clipping {
    private Clipping() {
    }

    /** The L2 norm, accumulated in double. */
    public static double l2Norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    /**
     * {@code update * min(1, bound / ||update||)} as a new array; an update within the bound comes
     * back unchanged (as a copy). The norm of the result never exceeds {@code bound}, also after
     * rounding to float: the privacy guarantee rests on that bound.
     *
     * @throws IllegalArgumentException unless {@code bound} is positive and finite
     */
    public static float[] clipL2(float[] update, double bound) {
        if (!(bound > 0) || !Double.isFinite(bound)) {
            throw new IllegalArgumentException("clipping bound must be positive and finite, got " + bound);
        }
        double norm = l2Norm(update);
        if (norm <= bound) {
            return update.clone();
        }
        double factor = bound / norm;
        float[] clipped = new float[update.length];
        while (true) {
            for (int i = 0; i < update.length; i++) {
                clipped[i] = (float) (update[i] * factor);
            }
            if (l2Norm(clipped) <= bound) {
                return clipped;
            }
            factor *= 1 - 0x1p-23; // float rounding pushed the norm just over the bound: shrink by about one ulp
        }
    }
}
