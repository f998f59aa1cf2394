package org.qdht.api.learning;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Differential privacy for federated rounds (DP-FedAvg): clip each client's update, add Gaussian
 * noise to their sum, and account the privacy spent with an RDP accountant. Under differential
 * privacy the clipped updates are averaged with equal weight, not by sample count.
 *
 * <p>The accountant covers the {@link #addNoise} calls made on one service object. Providers
 * register with prototype scope, so that each consumer (one per training run) gets its own
 * accountant. The target delta and the budget come from the provider's configuration. Thread safe.
 */
@ProviderType
public interface PrivacyMechanism {
    /**
     * The update with its delta scaled by {@code min(1, clipNorm / ||delta||)}, so that its L2 norm
     * is at most {@code clipNorm}; other fields unchanged. Spends no privacy.
     *
     * @throws IllegalArgumentException unless {@code clipNorm} is positive and finite
     */
    ModelUpdate clip(ModelUpdate update, double clipNorm);

    /**
     * The noisy mean {@code (sum + N(0, (noiseMultiplier * clipNorm)^2 I)) / clients} of
     * {@code clients} updates clipped to {@code clipNorm}, charging one round to the accountant.
     * The sampling rate used for accounting is {@code clients} over the population size from the
     * configuration; without one the accountant assumes every client takes part, which overstates
     * epsilon rather than understating it.
     *
     * @throws LearningException {@code PRIVACY_BUDGET_EXHAUSTED} if the round would exceed the
     *         budget; nothing is charged and nothing released then
     * @throws IllegalArgumentException unless {@code noiseMultiplier} is finite and not negative,
     *         {@code clipNorm} positive and finite, and {@code clients} at least 1
     */
    ModelParameters addNoise(ModelParameters sum, double noiseMultiplier, double clipNorm, int clients)
            throws LearningException;

    /** The privacy spent so far by this service object. */
    PrivacySpent spent();
}
