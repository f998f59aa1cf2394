package org.qdht.api.learning;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One client's result of local training: the change to the global model it started from.
 * Immutable and thread safe.
 *
 * <p>Limits: at most {@value #MAX_METRICS} metrics, named by 1-{@value #MAX_METRIC_NAME_LENGTH}
 * characters of {@code [a-z0-9._-]} (for example {@code loss}, {@code accuracy}), with finite values.
 *
 * @param baseVersion version of the global model the client trained from, not negative
 * @param delta       local model minus global model
 * @param sampleCount local examples trained on, at least 1: the update's weight in aggregation
 * @param metrics     the client's own measurements of the local training, unmodifiable
 */
public record ModelUpdate(long baseVersion, ModelParameters delta, long sampleCount, Map<String, Double> metrics) {
    public static final int MAX_METRICS = 32;
    public static final int MAX_METRIC_NAME_LENGTH = 64;

    private static final Pattern METRIC = Pattern.compile("[a-z0-9._-]{1," + MAX_METRIC_NAME_LENGTH + "}");

    /** @throws IllegalArgumentException for a null field or a value breaking the limits above */
    public ModelUpdate {
        if (delta == null || metrics == null) {
            throw new IllegalArgumentException("model update needs a delta and metrics (use an empty map)");
        }
        if (baseVersion < 0) {
            throw new IllegalArgumentException("base model version must not be negative: " + baseVersion);
        }
        if (sampleCount < 1) {
            throw new IllegalArgumentException("model update must come from at least one sample, got " + sampleCount);
        }
        if (metrics.size() > MAX_METRICS) {
            throw new IllegalArgumentException("model update has " + metrics.size() + " metrics, maximum " + MAX_METRICS);
        }
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (e.getKey() == null || !METRIC.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("metric name must be 1-" + MAX_METRIC_NAME_LENGTH
                        + " characters of a-z, 0-9, '.', '_' and '-': '" + e.getKey() + "'");
            }
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("metric " + e.getKey() + " must be a finite number, got " + e.getValue());
            }
        }
        metrics = Map.copyOf(metrics);
    }

    /** The same update with another delta, for clipping and masking. */
    public ModelUpdate withDelta(ModelParameters newDelta) {
        return new ModelUpdate(baseVersion, newDelta, sampleCount, metrics);
    }
}
