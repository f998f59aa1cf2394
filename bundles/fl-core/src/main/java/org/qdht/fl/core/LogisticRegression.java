package org.qdht.fl.core;

import java.util.SplittableRandom;

/**
 * Multinomial logistic regression (one softmax layer), the simplest model in McMahan et al.
 * Parameters: the weights input-major ({@code inputs x classes}), then the biases; 7,850 for
 * MNIST. Initial weights Glorot-uniform from the seed, biases zero.
 */
public final class LogisticRegression extends SoftmaxClassifier {
    /** 784 pixels into 10 digits. */
    public static final LogisticRegression MNIST = new LogisticRegression(784, 10);

    public LogisticRegression(int inputs, int classes) {
        super(inputs, classes);
    }

    @Override
    public int parameterCount() {
        return inputs * classes + classes;
    }

    @Override
    public float[] initialParameters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] p = new float[parameterCount()];
        double limit = Math.sqrt(6.0 / (inputs + classes));
        for (int i = 0; i < inputs * classes; i++) {
            p[i] = (float) rng.nextDouble(-limit, limit);
        }
        return p;
    }

    private static final class Scratch {
        final float[] dz;

        Scratch(int batch, int classes) {
            dz = new float[batch * classes];
        }
    }

    @Override
    Object scratch(int batch) {
        return new Scratch(batch, classes);
    }

    @Override
    void logits(float[] params, Dataset data, int example, float[] z, Object scratch) {
        float[] x = data.features();
        int off = example * inputs;
        System.arraycopy(params, inputs * classes, z, 0, classes);
        for (int i = 0; i < inputs; i++) {
            float v = x[off + i];
            if (v != 0) { // most MNIST pixels are 0: skipping them is most of the speed
                int row = i * classes;
                for (int c = 0; c < classes; c++) {
                    z[c] += v * params[row + c];
                }
            }
        }
    }

    @Override
    double step(float[] params, Dataset data, int[] batch, int from, int to, float[] target, float scale, Object s) {
        Scratch scratch = (Scratch) s;
        float[] x = data.features();
        float[] z = new float[classes];
        double loss = 0;
        for (int b = 0; b < to - from; b++) {
            int example = batch[from + b];
            logits(params, data, example, z, null);
            loss += softmaxInPlace(z, data.label(example));
            z[data.label(example)] -= 1;
            System.arraycopy(z, 0, scratch.dz, b * classes, classes);
        }
        int bias = inputs * classes;
        for (int b = 0; b < to - from; b++) {
            int off = batch[from + b] * inputs;
            int dOff = b * classes;
            for (int i = 0; i < inputs; i++) {
                float v = x[off + i];
                if (v != 0) {
                    float sv = scale * v;
                    int row = i * classes;
                    for (int c = 0; c < classes; c++) {
                        target[row + c] += sv * scratch.dz[dOff + c];
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                target[bias + c] += scale * scratch.dz[dOff + c];
            }
        }
        return loss;
    }
}
