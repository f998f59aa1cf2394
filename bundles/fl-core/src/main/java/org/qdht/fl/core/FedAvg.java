package org.qdht.fl.core;

import java.util.List;

import org.qdht.api.learning.Aggregator;
import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;

/**
 * FedAvg's server step (McMahan et al. 2017, algorithm 1): the mean of the clients' deltas
 * weighted by their sample counts, {@code sum(n_k * delta_k) / sum(n_k)}, accumulated in double so
 * that the result does not depend on float rounding of partial sums. Stateless.
 */
public final class FedAvg implements Aggregator {
    /** Name of the algorithm for {@link Aggregator#ALGORITHM_PROPERTY}. */
    public static final String ALGORITHM = "fedavg";

    @Override
    public ModelParameters aggregate(List<ModelUpdate> updates) throws LearningException {
        return ModelParameters.of(weightedAverage(updates));
    }

    /** The weighted mean as a plain vector; see {@link Aggregator#aggregate} for the failures. */
    public static float[] weightedAverage(List<ModelUpdate> updates) throws LearningException {
        if (updates == null || updates.isEmpty()) {
            throw new LearningException(LearningException.Reason.NOT_ENOUGH_PARTICIPANTS, "no updates to average");
        }
        ModelUpdate first = updates.get(0);
        int dimension = first.delta().dimension();
        double[] sum = new double[dimension];
        double totalWeight = 0;
        for (ModelUpdate u : updates) {
            if (u.delta().dimension() != dimension) {
                throw new LearningException(LearningException.Reason.INVALID_UPDATE, "update of dimension "
                        + u.delta().dimension() + " among updates of dimension " + dimension);
            }
            if (u.baseVersion() != first.baseVersion()) {
                throw new LearningException(LearningException.Reason.INVALID_UPDATE, "update from model version "
                        + u.baseVersion() + " among updates from version " + first.baseVersion());
            }
            double weight = u.sampleCount();
            for (int i = 0; i < dimension; i++) {
                sum[i] += weight * u.delta().get(i);
            }
            totalWeight += weight;
        }
        float[] mean = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            mean[i] = (float) (sum[i] / totalWeight);
        }
        return mean;
    }
}
