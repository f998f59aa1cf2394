package org.qdht.fl.core;

import java.util.SplittableRandom;

/**
 * The "2NN" of McMahan et al. 2017: a perceptron with two hidden ReLU layers and a softmax output,
 * 784-200-200-10 for MNIST (199,210 parameters). Parameter layout, each weight matrix input-major
 * so that the forward pass adds whole rows (a loop the JIT vectorises) and skips zero inputs:
 * {@code W1 [in x h1], b1, W2 [h1 x h2], b2, W3 [h2 x classes], b3}. Initial weights of the
 * hidden layers He-normal, of the output layer Glorot-uniform, biases zero.
 */
public final class TwoNN extends SoftmaxClassifier {
    /** The paper's MNIST network. */
    public static final TwoNN MNIST = new TwoNN(784, 200, 200, 10);

    private final int h1;
    private final int h2;
    private final int w1;
    private final int b1;
    private final int w2;
    private final int b2;
    private final int w3;
    private final int b3;

    public TwoNN(int inputs, int hidden1, int hidden2, int classes) {
        super(inputs, classes);
        if (hidden1 < 1 || hidden2 < 1) {
            throw new IllegalArgumentException("hidden layers need at least one unit, got " + hidden1 + " and " + hidden2);
        }
        h1 = hidden1;
        h2 = hidden2;
        w1 = 0;
        b1 = w1 + inputs * h1;
        w2 = b1 + h1;
        b2 = w2 + h1 * h2;
        w3 = b2 + h2;
        b3 = w3 + h2 * classes;
    }

    @Override
    public int parameterCount() {
        return b3 + classes;
    }

    @Override
    public float[] initialParameters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] p = new float[parameterCount()];
        double std1 = Math.sqrt(2.0 / inputs);
        for (int i = w1; i < b1; i++) {
            p[i] = (float) (rng.nextGaussian() * std1);
        }
        double std2 = Math.sqrt(2.0 / h1);
        for (int i = w2; i < b2; i++) {
            p[i] = (float) (rng.nextGaussian() * std2);
        }
        double limit = Math.sqrt(6.0 / (h2 + classes));
        for (int i = w3; i < b3; i++) {
            p[i] = (float) rng.nextDouble(-limit, limit);
        }
        return p;
    }

    /** Activations and errors of one batch, row per example. */
    private static final class Scratch {
        final float[] a1;
        final float[] a2;
        final float[] dz;
        final float[] d1;
        final float[] d2;

        Scratch(int batch, int h1, int h2, int classes) {
            a1 = new float[batch * h1];
            a2 = new float[batch * h2];
            dz = new float[batch * classes];
            d1 = new float[batch * h1];
            d2 = new float[batch * h2];
        }
    }

    @Override
    Object scratch(int batch) {
        return new Scratch(batch, h1, h2, classes);
    }

    @Override
    void logits(float[] params, Dataset data, int example, float[] z, Object s) {
        Scratch scratch = (Scratch) s;
        forward(params, data.features(), example * inputs, scratch.a1, 0, scratch.a2, 0, z, 0);
    }

    private void forward(float[] p, float[] x, int xOff, float[] a1, int a1Off, float[] a2, int a2Off, float[] z, int zOff) {
        layer(p, w1, b1, x, xOff, inputs, a1, a1Off, h1, true);
        layer(p, w2, b2, a1, a1Off, h1, a2, a2Off, h2, true);
        layer(p, w3, b3, a2, a2Off, h2, z, zOff, classes, false);
    }

    /** out = act(bias + in . W), adding one weight row per non-zero input. */
    private static void layer(float[] p, int w, int bias, float[] in, int inOff, int n, float[] out, int outOff, int m,
            boolean relu) {
        System.arraycopy(p, bias, out, outOff, m);
        for (int i = 0; i < n; i++) {
            float v = in[inOff + i];
            if (v != 0) {
                int row = w + i * m;
                for (int o = 0; o < m; o++) {
                    out[outOff + o] += v * p[row + o];
                }
            }
        }
        if (relu) {
            for (int o = 0; o < m; o++) {
                if (out[outOff + o] < 0) {
                    out[outOff + o] = 0;
                }
            }
        }
    }

    @Override
    double step(float[] p, Dataset data, int[] batch, int from, int to, float[] target, float scale, Object s) {
        Scratch sc = (Scratch) s;
        float[] x = data.features();
        int n = to - from;
        float[] z = new float[classes];
        double loss = 0;
        for (int b = 0; b < n; b++) {
            int example = batch[from + b];
            forward(p, x, example * inputs, sc.a1, b * h1, sc.a2, b * h2, z, 0);
            loss += softmaxInPlace(z, data.label(example));
            z[data.label(example)] -= 1;
            System.arraycopy(z, 0, sc.dz, b * classes, classes);
        }
        // each layer propagates the error with its old weights before it is updated (see SoftmaxClassifier)
        backError(p, w3, sc.dz, classes, sc.a2, sc.d2, h2, n);
        addOuter(target, w3, b3, sc.a2, h2, sc.dz, classes, n, scale);
        backError(p, w2, sc.d2, h2, sc.a1, sc.d1, h1, n);
        addOuter(target, w2, b2, sc.a1, h1, sc.d2, h2, n, scale);
        for (int b = 0; b < n; b++) {
            addOuterRow(target, w1, b1, x, batch[from + b] * inputs, inputs, sc.d1, b * h1, h1, scale);
        }
        return loss;
    }

    /** err_in[b][i] = [act_in[b][i] > 0] * sum_o W[i][o] * err_out[b][o], the ReLU derivative included. */
    private static void backError(float[] p, int w, float[] errOut, int m, float[] actIn, float[] errIn, int n, int batch) {
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                float sum = 0;
                if (actIn[b * n + i] > 0) {
                    int row = w + i * m;
                    int eo = b * m;
                    for (int o = 0; o < m; o++) {
                        sum += p[row + o] * errOut[eo + o];
                    }
                }
                errIn[b * n + i] = sum;
            }
        }
    }

    /** target W += scale * sum_b in[b]^T err[b], target bias += scale * sum_b err[b]. */
    private static void addOuter(float[] target, int w, int bias, float[] in, int n, float[] err, int m, int batch,
            float scale) {
        for (int b = 0; b < batch; b++) {
            addOuterRow(target, w, bias, in, b * n, n, err, b * m, m, scale);
        }
    }

    private static void addOuterRow(float[] target, int w, int bias, float[] in, int inOff, int n, float[] err, int errOff,
            int m, float scale) {
        for (int i = 0; i < n; i++) {
            float v = in[inOff + i];
            if (v != 0) {
                float sv = scale * v;
                int row = w + i * m;
                for (int o = 0; o < m; o++) {
                    target[row + o] += sv * err[errOff + o];
                }
            }
        }
        for (int o = 0; o < m; o++) {
            target[bias + o] += scale * err[errOff + o];
        }
    }
}
