package org.qdht.benchmarks.fl;

import static org.qdht.benchmarks.fl.FlBenchmark.fmt;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.TrainingPlan;
import org.qdht.fl.core.FederatedSimulation;
import org.qdht.fl.core.MnistExperiment;
import org.qdht.fl.core.MnistFiles;
import org.qdht.fl.core.TwoNN;

/**
 * Table 1 of McMahan et al. 2017 for the 2NN: rounds of FedAvg (C = 0.1, E = 1, B = 10) until the
 * test accuracy first reaches the target, for each learning rate given, through fl-core's
 * {@link MnistExperiment} (100 clients x 600 examples; pathological non-IID = 200 shards of 300
 * sorted by label, two per client). Evaluation after every round on the 10,000 test images.
 */
final class PaperRounds {
    /** The paper's Table 1 (2NN, E = 1, B = 10, C = 0.1, 97 %), with learning rates tuned per setting. */
    static final int PAPER_IID = 87;
    static final int PAPER_NON_IID = 664;
    static final double CLIENT_FRACTION = 0.1;
    static final int EPOCHS = 1;
    static final int BATCH = 10;

    record Run(double learningRate, FederatedSimulation.Result result, String failure, double seconds) {
        int rounds() {
            return result == null ? 0 : result.rounds().size();
        }

        double best() {
            return result == null ? Double.NaN : FlBenchmark.bestAccuracy(result);
        }

        double last() {
            return result == null || result.rounds().isEmpty() ? Double.NaN : result.rounds().get(result.rounds().size() - 1).accuracy();
        }
    }

    private PaperRounds() {
    }

    static String run(MnistFiles files, boolean iid, FlBenchmark.Settings s, PrintStream out) throws IOException {
        String split = iid ? "IID" : "pathological non-IID";
        List<Run> runs = new ArrayList<>();
        for (double lr : iid ? s.iidLearningRates() : s.nonIidLearningRates()) {
            String label = fmt("%s lr %s", iid ? "iid" : "noniid", lr);
            ProgressModel model = new ProgressModel(TwoNN.MNIST, label, s.progressEvery(), out);
            FederatedSimulation.Settings settings = new FederatedSimulation.Settings(CLIENT_FRACTION,
                    new TrainingPlan(EPOCHS, BATCH, lr, s.seed()), s.maxRounds(), s.target(), 0, null);
            Run run;
            try {
                FederatedSimulation.Result result = MnistExperiment.run(files, model, iid, settings);
                run = new Run(lr, result, null, model.seconds());
            } catch (LearningException e) {
                // divergence at a too large learning rate is a result, not a failure of the benchmark
                if (e.reason() != LearningException.Reason.TRAINING_FAILED) {
                    throw new IllegalStateException(label + " failed: " + e.getMessage(), e);
                }
                run = new Run(lr, null, e.getMessage(), model.seconds());
            }
            runs.add(run);
            out.println(fmt("[fl] %s: %s", label, run.result() == null ? "diverged: " + run.failure()
                    : run.result().stop() + " after " + run.rounds() + " rounds, " + fmt("%.1f s", run.seconds())));
        }
        return table(split, iid ? PAPER_IID : PAPER_NON_IID, runs, s);
    }

    private static String table(String split, int paper, List<Run> runs, FlBenchmark.Settings s) {
        StringBuilder b = new StringBuilder();
        b.append(fmt("## %s: rounds to %.0f %% test accuracy (2NN, C = %.1f, E = %d, B = %d)%n%n", split, 100 * s.target(),
                CLIENT_FRACTION, EPOCHS, BATCH));
        b.append(fmt("The paper (Table 1): **%d rounds**, learning rate tuned for this setting. Cap: %,d rounds; seed %d.%n%n",
                paper, s.maxRounds(), s.seed()));
        b.append("| learning rate | rounds to target | ours / paper | why it stopped | accuracy at the end | best accuracy | wall time | s per round |\n");
        b.append("|--:|--:|--:|---|--:|--:|--:|--:|\n");
        for (Run r : runs) {
            if (r.result() == null) {
                b.append(fmt("| %s | diverged | | %s | | | %.1f s | |%n", r.learningRate(), r.failure(), r.seconds()));
                continue;
            }
            int to = r.result().roundsTo(s.target());
            b.append(fmt("| %s | %s | %s | %s | %.4f | %.4f | %.1f s | %.3f |%n", r.learningRate(),
                    to < 0 ? fmt("not reached in %,d", r.rounds()) : fmt("**%d**", to),
                    to < 0 ? "" : fmt("%.2f", (double) to / paper),
                    r.result().stop().name().toLowerCase().replace('_', ' '), r.last(), r.best(), r.seconds(),
                    r.seconds() / Math.max(1, r.rounds())));
        }
        b.append("\nWall time from the first round (after loading and splitting MNIST), including the test-set evaluation after every round.\n");
        return b.toString();
    }
}
