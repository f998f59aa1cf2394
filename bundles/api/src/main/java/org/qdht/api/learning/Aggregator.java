package org.qdht.api.learning;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Combines client updates into one change of the global model. Registered with the service
 * property {@value #ALGORITHM_PROPERTY} naming the algorithm ({@code fedavg} for the weighted mean
 * below). Stateless and thread safe.
 */
@ProviderType
public interface Aggregator {
    /** Service property (String): the aggregation algorithm, e.g. {@code fedavg}. */
    String ALGORITHM_PROPERTY = "qdht.learning.aggregator";

    /**
     * The mean of the updates' deltas weighted by their sample counts,
     * {@code sum(n_k * delta_k) / sum(n_k)}, accumulated in double. The new global model is the
     * old one plus the result.
     *
     * @throws LearningException {@code NOT_ENOUGH_PARTICIPANTS} for an empty list,
     *         {@code INVALID_UPDATE} when the deltas differ in dimension or the updates in base version
     */
    ModelParameters aggregate(List<ModelUpdate> updates) throws LearningException;
}
