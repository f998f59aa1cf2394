package org.qdht.benchmarks.fl;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;

import org.qdht.fl.core.Dataset;
import org.qdht.fl.core.Model;

/**
 * A model that behaves exactly as the one it wraps and prints a progress line (run, round, test
 * accuracy, elapsed time) every {@code every} evaluations. {@code FederatedSimulation} evaluates the
 * global model on the test set once per round, and nowhere else, and has no other hook: counting
 * evaluations counts rounds, so a long run shows that it is alive without the simulation knowing
 * about the benchmark.
 */
final class ProgressModel implements Model {
    private final Model model;
    private final String label;
    private final int every;
    private final PrintStream out;
    /** When the simulation asked for the initial parameters: after loading and splitting the data. */
    private volatile long start;
    private int rounds;
    private double best;

    ProgressModel(Model model, String label, int every, PrintStream out) {
        this.model = model;
        this.label = label;
        this.every = Math.max(1, every);
        this.out = out;
    }

    @Override
    public int parameterCount() {
        return model.parameterCount();
    }

    @Override
    public int inputCount() {
        return model.inputCount();
    }

    @Override
    public float[] initialParameters(long seed) {
        if (start == 0) {
            start = System.nanoTime();
        }
        return model.initialParameters(seed);
    }

    @Override
    public void train(float[] params, Dataset data, int[] indices, int epochs, int batchSize, float learningRate,
            SplittableRandom rng) {
        model.train(params, data, indices, epochs, batchSize, learningRate, rng);
    }

    @Override
    public double accuracy(float[] params, Dataset data) {
        double accuracy = model.accuracy(params, data);
        report(accuracy);
        return accuracy;
    }

    private synchronized void report(double accuracy) {
        rounds++;
        best = Math.max(best, accuracy);
        if (rounds == 1 || rounds % every == 0) {
            out.printf(Locale.ROOT, "[fl] %s: round %d, accuracy %.4f (best %.4f), %.1f s%n", label, rounds, accuracy, best,
                    seconds());
        }
    }

    /** Seconds since the first round started (loading MNIST and splitting it excluded). */
    double seconds() {
        return start == 0 ? 0 : (System.nanoTime() - start) / 1e9;
    }

    @Override
    public double loss(float[] params, Dataset data) {
        return model.loss(params, data);
    }

    @Override
    public double addGradient(float[] params, Dataset data, int[] indices, float[] gradient) {
        return model.addGradient(params, data, indices, gradient);
    }
}
