package org.qdht.fl.core;

import java.util.random.RandomGenerator;

/**
 * The Gaussian mechanism of DP-FedAvg (McMahan et al. 2018): noise is added once, to the
 * <em>sum</em> of the clipped updates, before the server divides by the number of clients. The sum
 * has L2 sensitivity equal to the clipping bound C (one client more or less changes it by at most
 * C), so the standard deviation is {@code sigma = noiseMultiplier * C}, and {@code noiseMultiplier}
 * is the z the {@link RdpAccountant} is told.
 *
 * <p>The generator decides what the noise is worth: a seeded generator makes simulations
 * reproducible but protects nothing against someone who knows the seed; a deployment passes a
 * {@link java.security.SecureRandom}.
 */
public final class GaussianNoise {
    private GaussianNoise() {
    }

    /**
     * {@code sum + N(0, sigma^2 I)} as a new array.
     *
     * @throws IllegalArgumentException unless {@code sigma} is finite and not negative
     */
    public static float[] add(float[] sum, double sigma, RandomGenerator rng) {
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("noise standard deviation must be finite and not negative, got " + sigma);
        }
        float[] noisy = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            noisy[i] = (float) (sum[i] + sigma * rng.nextGaussian());
        }
        return noisy;
    }
}
