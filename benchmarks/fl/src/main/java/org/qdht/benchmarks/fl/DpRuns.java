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
import org.qdht.fl.core.RdpAccountant;
import org.qdht.fl.core.TwoNN;

/**
 * DP-FedAvg (McMahan et al. 2018) on the IID split: each round the 10 sampled updates are clipped
 * to L2 norm S, summed with equal weight, N(0, (zS)^2) noise is added to the sum and the result
 * divided by 10 (fl-core's {@code DpFedAvg}); the accountant charges q = C = 0.1 per round. A fixed
 * number of rounds per noise multiplier z, then the accuracy and fl-core's RDP epsilon at the
 * target delta. A second table asks the same accountant what the same noise on the averaged update
 * would cost with larger populations (no training there).
 */
final class DpRuns {
    record Run(double z, FederatedSimulation.Result result, String failure, double seconds) {
    }

    private DpRuns() {
    }

    static String run(MnistFiles files, FlBenchmark.Settings s, PrintStream out) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (double z : s.dpNoise()) {
            String label = fmt("dp z %s S %s", z, s.dpClip());
            ProgressModel model = new ProgressModel(TwoNN.MNIST, label, s.progressEvery(), out);
            // target above 1: never stops early; an infinite budget: the accountant only reports
            FederatedSimulation.Settings settings = new FederatedSimulation.Settings(PaperRounds.CLIENT_FRACTION,
                    new TrainingPlan(PaperRounds.EPOCHS, PaperRounds.BATCH, s.dpLearningRate(), s.seed()), s.dpRounds(), 2.0, 0,
                    new FederatedSimulation.Privacy(z, s.dpClip(), s.dpDelta(), Double.POSITIVE_INFINITY));
            Run run;
            try {
                run = new Run(z, MnistExperiment.run(files, model, true, settings), null, model.seconds());
            } catch (LearningException e) {
                if (e.reason() != LearningException.Reason.TRAINING_FAILED) {
                    throw new IllegalStateException(label + " failed: " + e.getMessage(), e);
                }
                run = new Run(z, null, e.getMessage(), model.seconds());
            }
            runs.add(run);
            out.println(fmt("[fl] %s: %s", label, run.result() == null ? "diverged: " + run.failure()
                    : fmt("accuracy %.4f after %d rounds, epsilon %.3g, %.1f s", last(run.result()).accuracy(),
                            run.result().rounds().size(), last(run.result()).epsilon(), run.seconds())));
        }
        return table(runs, s);
    }

    private static FederatedSimulation.Round last(FederatedSimulation.Result r) {
        return r.rounds().get(r.rounds().size() - 1);
    }

    private static String table(List<Run> runs, FlBenchmark.Settings s) {
        double q = PaperRounds.CLIENT_FRACTION;
        int m = (int) Math.round(q * org.qdht.fl.core.MnistExperiment.CLIENTS);
        StringBuilder b = new StringBuilder();
        b.append(fmt("## DP-FedAvg: accuracy after %d rounds and epsilon at delta = %.0e (IID, 2NN, C = 0.1, E = 1, B = 10, lr %s)%n%n",
                s.dpRounds(), s.dpDelta(), s.dpLearningRate()));
        b.append(fmt("Clipping bound S = %s (L2, per update), noise N(0, (zS)^2) on the sum of the %d clipped updates, then / %d; "
                + "sampling rate q = C = %.1f (the accountant assumes Poisson sampling, the simulation samples exactly %d of %d). "
                + "z = 0 clips without noise (no privacy: epsilon infinite). Epsilon from fl-core's `RdpAccountant` after the run, "
                + "and recomputed from scratch (q, z, rounds) with the order that gives it.%n%n",
                s.dpClip(), m, m, q, m, org.qdht.fl.core.MnistExperiment.CLIENTS));
        b.append("| noise multiplier z | noise std on the averaged update, per entry | accuracy after the last round | best accuracy | rounds | epsilon (run's accountant) | epsilon recomputed (order) | wall time |\n");
        b.append("|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Run r : runs) {
            RdpAccountant.Epsilon again = recomputed(q, r.z(), r.result() == null ? s.dpRounds() : r.result().rounds().size(), s.dpDelta());
            if (r.result() == null) {
                b.append(fmt("| %s | %.3g | diverged: %s | | | | | %.1f s |%n", r.z(), r.z() * s.dpClip() / m, r.failure(), r.seconds()));
                continue;
            }
            double best = FlBenchmark.bestAccuracy(r.result());
            b.append(fmt("| %s | %.3g | **%.4f** | %.4f | %d | %s | %s (%s) | %.1f s |%n", r.z(), r.z() * s.dpClip() / m,
                    last(r.result()).accuracy(), best, r.result().rounds().size(), eps(last(r.result()).epsilon()),
                    eps(again.epsilon()), again.order(), r.seconds()));
        }
        b.append(fmt("%n### What the accountant gives for larger populations (no training: the same %d rounds and the same noise std "
                + "per entry on the averaged update, z S / m, as each run above)%n%n", s.dpRounds()));
        b.append("With m clients per round out of N, the same noise on the average needs z' = z m / 10, and q = m / N. "
                + "This is why meaningful DP needs a large population: with N = 100 every client is in 1 round of 10. "
                + fmt("Epsilon cannot fall below %.2g here: the conversion's floor at the largest order, %.0f.%n%n", floor(s.dpDelta()),
                        RdpAccountant.DEFAULT_ORDERS[RdpAccountant.DEFAULT_ORDERS.length - 1]));
        int[][] populations = {{100, 10}, {10_000, 100}, {100_000, 1_000}, {1_000_000, 1_000}};
        b.append("| z of our run |");
        for (int[] p : populations) {
            b.append(fmt(" N = %,d, m = %,d |", p[0], p[1]));
        }
        b.append("\n|--:|");
        b.append("--:|".repeat(populations.length)).append('\n');
        for (double z : s.dpNoise()) {
            if (z == 0) {
                continue;
            }
            b.append(fmt("| %s |", z));
            for (int[] p : populations) {
                double zp = z * p[1] / m;
                b.append(fmt(" epsilon %s (z' %s) |", eps(recomputed((double) p[1] / p[0], zp, s.dpRounds(), s.dpDelta()).epsilon()),
                        fmt("%.3g", zp)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static RdpAccountant.Epsilon recomputed(double q, double z, int rounds, double delta) {
        if (z == 0) {
            return new RdpAccountant.Epsilon(Double.POSITIVE_INFINITY, Double.NaN);
        }
        RdpAccountant accountant = new RdpAccountant(delta);
        accountant.compose(q, z, rounds);
        return RdpAccountant.epsilon(RdpAccountant.DEFAULT_ORDERS, accountant.rdp(), delta);
    }

    /** The smallest epsilon the orders can give, even for no divergence at all: the conversion term alone. */
    private static double floor(double delta) {
        double best = Double.POSITIVE_INFINITY;
        for (double a : RdpAccountant.DEFAULT_ORDERS) {
            best = Math.min(best, Math.log1p(-1 / a) - Math.log(delta * a) / (a - 1));
        }
        return best;
    }

    private static String eps(double epsilon) {
        return Double.isInfinite(epsilon) ? "infinite" : fmt("%.3g", epsilon);
    }
}
