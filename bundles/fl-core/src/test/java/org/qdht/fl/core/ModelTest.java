package org.qdht.fl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ModelTest {
    @Test
    void parameterCountsAreThePapers() {
        assertEquals(199_210, TwoNN.MNIST.parameterCount());
        assertEquals(7_850, LogisticRegression.MNIST.parameterCount());
    }

    /** A few random examples with some zero features, as MNIST has. */
    private static Dataset tinyData(int n, int features, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(4) == 0 ? 0 : (float) rng.nextDouble(-1, 1);
        }
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) rng.nextInt(classes);
        }
        return new Dataset(x, y, features, classes);
    }

    /** Central differences of the mean loss in double against the analytic gradient. */
    private static void assertGradientMatchesFiniteDifferences(Model model, long seed) {
        Dataset data = tinyData(5, model.inputCount(), 3, seed);
        int[] all = IntStream.range(0, data.size()).toArray();
        float[] params = model.initialParameters(seed);
        float[] gradient = new float[params.length];
        double loss = model.addGradient(params, data, all, gradient);
        assertEquals(model.loss(params, data), loss, 1e-5);
        float h = 1e-3f; // small enough not to step over a ReLU kink
        for (int i = 0; i < params.length; i++) {
            float keep = params[i];
            params[i] = keep + h;
            double up = model.loss(params, data);
            params[i] = keep - h;
            double down = model.loss(params, data);
            params[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, gradient[i], 2e-3 + 2e-2 * Math.abs(numeric), "parameter " + i);
        }
    }

    @Test
    void logisticRegressionGradientMatchesFiniteDifferences() {
        assertGradientMatchesFiniteDifferences(new LogisticRegression(6, 3), 1);
    }

    @Test
    void twoNnGradientMatchesFiniteDifferences() {
        assertGradientMatchesFiniteDifferences(new TwoNN(6, 5, 4, 3), 2);
    }

    @Test
    void trainingStepEqualsGradientStep() {
        // the in-place update must equal params - lr * gradient computed separately
        TwoNN model = new TwoNN(6, 5, 4, 3);
        Dataset data = tinyData(4, 6, 3, 3);
        int[] all = {0, 1, 2, 3};
        float[] params = model.initialParameters(3);
        float[] gradient = new float[params.length];
        model.addGradient(params, data, all, gradient);
        float[] expected = params.clone();
        for (int i = 0; i < expected.length; i++) {
            expected[i] -= 0.5f * gradient[i];
        }
        model.train(params, data, all, 1, 4, 0.5f, new SplittableRandom(0));
        for (int i = 0; i < params.length; i++) {
            assertEquals(expected[i], params[i], 1e-6f, "parameter " + i);
        }
    }

    @Test
    void sameSeedGivesIdenticalParameters() {
        Dataset train = RealMnist.train().head(500);
        int[] all = IntStream.range(0, 500).toArray();
        float[] a = TwoNN.MNIST.initialParameters(7);
        float[] b = TwoNN.MNIST.initialParameters(7);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, TwoNN.MNIST.initialParameters(8)));
        TwoNN.MNIST.train(a, train, all, 1, 10, 0.1f, new SplittableRandom(5));
        TwoNN.MNIST.train(b, train, all, 1, 10, 0.1f, new SplittableRandom(5));
        assertArrayEquals(a, b);
    }

    private static void assertLearns(Model model, float learningRate, double minAccuracy) {
        Dataset train = RealMnist.train().head(3000);
        Dataset test = RealMnist.test().head(2000);
        float[] params = model.initialParameters(11);
        double lossBefore = model.loss(params, train);
        model.train(params, train, IntStream.range(0, train.size()).toArray(), 3, 10, learningRate, new SplittableRandom(1));
        double lossAfter = model.loss(params, train);
        double accuracy = model.accuracy(params, test);
        assertTrue(lossAfter < lossBefore / 3, "loss " + lossBefore + " -> " + lossAfter);
        assertTrue(accuracy > minAccuracy, "test accuracy " + accuracy);
    }

    @Test
    void logisticRegressionLearnsMnist() {
        assertLearns(LogisticRegression.MNIST, 0.1f, 0.82);
    }

    @Test
    void twoNnLearnsMnist() {
        assertLearns(TwoNN.MNIST, 0.1f, 0.88);
    }
}
