package org.qdht.fl.core;

import java.util.SplittableRandom;

/**
 * What the models share: the SGD loop, evaluation, and the softmax cross-entropy. A subclass
 * supplies the forward pass and one backward pass per batch that adds {@code scale} times the
 * summed gradient to a target vector. Training passes the parameters themselves as the target with
 * {@code scale = -learningRate / batch}: subclasses update each layer only after they have used its
 * weights to propagate the error further down, so the step equals SGD with a separate gradient
 * buffer, without one.
 */
abstract class SoftmaxClassifier implements Model {
    protected final int inputs;
    protected final int classes;

    SoftmaxClassifier(int inputs, int classes) {
        if (inputs < 1 || classes < 2) {
            throw new IllegalArgumentException("need at least 1 input and 2 classes, got " + inputs + " and " + classes);
        }
        this.inputs = inputs;
        this.classes = classes;
    }

    /** Working memory for batches of up to {@code batch} examples; one per training call, never shared. */
    abstract Object scratch(int batch);

    /** Class scores of example {@code example} into {@code logits}. */
    abstract void logits(float[] params, Dataset data, int example, float[] logits, Object scratch);

    /**
     * Forward and backward over {@code batch[from, to)}: adds {@code scale} times the summed gradient
     * of the loss to {@code target} (which may be {@code params}) and returns the summed loss.
     */
    abstract double step(float[] params, Dataset data, int[] batch, int from, int to, float[] target, float scale,
            Object scratch);

    @Override
    public int inputCount() {
        return inputs;
    }

    @Override
    public void train(float[] params, Dataset data, int[] indices, int epochs, int batchSize, float learningRate,
            SplittableRandom rng) {
        check(params, data);
        if (epochs < 0 || batchSize < 1 || !(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("need epochs >= 0, batch size >= 1 and a positive finite learning rate, got "
                    + epochs + ", " + batchSize + ", " + learningRate);
        }
        if (indices.length == 0) {
            return;
        }
        int batch = Math.min(batchSize, indices.length);
        Object scratch = scratch(batch);
        int[] order = indices.clone();
        for (int e = 0; e < epochs; e++) {
            Splits.shuffle(order, rng);
            for (int from = 0; from < order.length; from += batch) {
                int to = Math.min(order.length, from + batch);
                step(params, data, order, from, to, params, -learningRate / (to - from), scratch);
            }
        }
    }

    @Override
    public double addGradient(float[] params, Dataset data, int[] indices, float[] gradient) {
        check(params, data);
        if (gradient.length != parameterCount()) {
            throw new IllegalArgumentException("gradient needs " + parameterCount() + " values, got " + gradient.length);
        }
        if (indices.length == 0) {
            return 0;
        }
        return step(params, data, indices, 0, indices.length, gradient, 1f / indices.length, scratch(indices.length))
                / indices.length;
    }

    @Override
    public double accuracy(float[] params, Dataset data) {
        check(params, data);
        Object scratch = scratch(1);
        float[] z = new float[classes];
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            logits(params, data, i, z, scratch);
            if (argmax(z) == data.label(i)) {
                correct++;
            }
        }
        return data.size() == 0 ? 0 : (double) correct / data.size();
    }

    @Override
    public double loss(float[] params, Dataset data) {
        check(params, data);
        Object scratch = scratch(1);
        float[] z = new float[classes];
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            logits(params, data, i, z, scratch);
            sum += softmaxInPlace(z, data.label(i));
        }
        return data.size() == 0 ? 0 : sum / data.size();
    }

    /**
     * Replaces {@code z} by its softmax and returns the cross-entropy for {@code label}; computed
     * in double around the largest score, so that large logits neither overflow nor lose the loss.
     */
    static double softmaxInPlace(float[] z, int label) {
        float max = z[0];
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v - max);
        }
        double logSum = Math.log(sum);
        double loss = logSum - (z[label] - max);
        for (int c = 0; c < z.length; c++) {
            z[c] = (float) Math.exp(z[c] - max - logSum);
        }
        return loss;
    }

    static int argmax(float[] z) {
        int best = 0;
        for (int c = 1; c < z.length; c++) {
            if (z[c] > z[best]) {
                best = c;
            }
        }
        return best;
    }

    private void check(float[] params, Dataset data) {
        if (params.length != parameterCount()) {
            throw new IllegalArgumentException("model needs " + parameterCount() + " parameters, got " + params.length);
        }
        if (data.featureCount() != inputs || data.classCount() != classes) {
            throw new IllegalArgumentException("model reads " + inputs + " features into " + classes + " classes, data has "
                    + data.featureCount() + " features and " + data.classCount() + " classes");
        }
    }
}
