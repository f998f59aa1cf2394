package org.qdht.fl.core;

import java.util.SplittableRandom;

/**
 * A classifier whose parameters are one flat float vector, the form FedAvg averages and the
 * {@link org.qdht.api.learning.ModelParameters} of the API carry. Implementations keep no state
 * between calls, so one object serves any number of clients, also from several threads.
 */
public interface Model {
    /** Length of the parameter vector. */
    int parameterCount();

    /** Features per example this model reads. */
    int inputCount();

    /** Fresh parameters drawn from {@code seed}; the same seed gives the same vector. */
    float[] initialParameters(long seed);

    /**
     * Plain minibatch SGD on the examples at {@code indices}, updating {@code params} in place:
     * {@code epochs} passes, each over a fresh shuffle drawn from {@code rng}, in batches of
     * {@code batchSize} (the last one smaller; a batch size at least the number of examples means
     * full-batch gradient descent).
     */
    void train(float[] params, Dataset data, int[] indices, int epochs, int batchSize, float learningRate,
            SplittableRandom rng);

    /** Share of {@code data} classified correctly, in [0, 1]. */
    double accuracy(float[] params, Dataset data);

    /** Mean softmax cross-entropy on {@code data}. */
    double loss(float[] params, Dataset data);

    /**
     * Adds the gradient of the mean loss over the examples at {@code indices} to {@code gradient}
     * and returns that mean loss; for checks and for FedSGD-style uses.
     */
    double addGradient(float[] params, Dataset data, int[] indices, float[] gradient);
}
