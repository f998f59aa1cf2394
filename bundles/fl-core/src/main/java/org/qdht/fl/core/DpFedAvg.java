package org.qdht.fl.core;

import java.util.List;
import java.util.random.RandomGenerator;

import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;
import org.qdht.api.learning.PrivacyMechanism;
import org.qdht.api.learning.PrivacySpent;

/**
 * DP-FedAvg's server side (McMahan et al. 2018, "Learning Differentially Private Recurrent Language
 * Models"): clip each update to C, sum them with equal weight, add N(0, (zC)^2) to the sum, divide
 * by the number of clients, and charge the round to an {@link RdpAccountant} with sampling rate
 * {@code clients / population}. A round that would take epsilon beyond the budget is refused before
 * anything is released or charged. One object per training run; thread safe.
 */
public final class DpFedAvg implements PrivacyMechanism {
    private final int population;
    private final double epsilonBudget;
    private final RdpAccountant accountant;
    private final RandomGenerator noise;

    /**
     * @param population    clients the rounds sample from, for the sampling rate
     * @param delta         target delta, in (0, 1)
     * @param epsilonBudget largest epsilon allowed; positive, may be infinite
     * @param noise         source of the Gaussian noise: a {@link java.security.SecureRandom} outside simulations
     */
    public DpFedAvg(int population, double delta, double epsilonBudget, RandomGenerator noise) {
        if (population < 1) {
            throw new IllegalArgumentException("population must be at least 1, got " + population);
        }
        if (!(epsilonBudget > 0)) {
            throw new IllegalArgumentException("epsilon budget must be positive, got " + epsilonBudget);
        }
        this.population = population;
        this.epsilonBudget = epsilonBudget;
        this.accountant = new RdpAccountant(delta);
        this.noise = noise;
    }

    @Override
    public ModelUpdate clip(ModelUpdate update, double clipNorm) {
        return update.withDelta(ModelParameters.of(Clipping.clipL2(update.delta().values(), clipNorm)));
    }

    @Override
    public synchronized ModelParameters addNoise(ModelParameters sum, double noiseMultiplier, double clipNorm, int clients)
            throws LearningException {
        if (!(noiseMultiplier >= 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier must be finite and not negative, got " + noiseMultiplier);
        }
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clipping norm must be positive and finite, got " + clipNorm);
        }
        if (clients < 1) {
            throw new IllegalArgumentException("need at least one client, got " + clients);
        }
        double q = Math.min(1.0, (double) clients / population);
        double after = accountant.epsilonAfter(q, noiseMultiplier, 1);
        if (after > epsilonBudget) {
            throw new LearningException(LearningException.Reason.PRIVACY_BUDGET_EXHAUSTED, "another round would spend epsilon "
                    + after + " at delta " + accountant.delta() + ", beyond the budget " + epsilonBudget);
        }
        float[] noisy = GaussianNoise.add(sum.values(), noiseMultiplier * clipNorm, noise);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] /= clients;
        }
        accountant.compose(q, noiseMultiplier, 1);
        return ModelParameters.of(noisy);
    }

    /** Clips every update, sums them and releases the noisy mean: one DP-FedAvg round. */
    public ModelParameters aggregate(List<ModelUpdate> updates, double noiseMultiplier, double clipNorm)
            throws LearningException {
        if (updates.isEmpty()) {
            throw new LearningException(LearningException.Reason.NOT_ENOUGH_PARTICIPANTS, "no updates to aggregate");
        }
        int dimension = updates.get(0).delta().dimension();
        double[] sum = new double[dimension];
        for (ModelUpdate u : updates) {
            if (u.delta().dimension() != dimension) {
                throw new LearningException(LearningException.Reason.INVALID_UPDATE, "update of dimension "
                        + u.delta().dimension() + " among updates of dimension " + dimension);
            }
            float[] clipped = Clipping.clipL2(u.delta().values(), clipNorm);
            for (int i = 0; i < dimension; i++) {
                sum[i] += clipped[i];
            }
        }
        float[] s = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            s[i] = (float) sum[i];
        }
        return addNoise(ModelParameters.of(s), noiseMultiplier, clipNorm, updates.size());
    }

    @Override
    public PrivacySpent spent() {
        return accountant.spent();
    }
}
