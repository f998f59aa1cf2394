package org.qdht.api.learning;

/**
 * How a client trains locally in one round, the E, B and learning rate of FedAvg. Immutable and
 * thread safe.
 *
 * @param epochs       passes over the local data, 1-{@value #MAX_EPOCHS}
 * @param batchSize    examples per gradient step, at least 1; {@link #FULL_BATCH} for the whole
 *                     local data set in one batch (B = &infin;)
 * @param learningRate step size of local SGD, positive and finite
 * @param seed         seed for shuffling and initialisation, so that a round can be reproduced
 */
public record TrainingPlan(int epochs, int batchSize, double learningRate, long seed) {
    public static final int MAX_EPOCHS = 1_000;
    /** Batch size meaning the whole local data set. */
    public static final int FULL_BATCH = Integer.MAX_VALUE;

    /** @throws IllegalArgumentException naming the parameter out of range */
    public TrainingPlan {
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new IllegalArgumentException("epochs must be 1-" + MAX_EPOCHS + ", got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 (FULL_BATCH for all local data), got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
    }
}
