package org.qdht.fl.core;

import java.io.IOException;
import java.util.Locale;

import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.TrainingPlan;

/**
 * The MNIST experiments of McMahan et al. 2017 at full size, for benchmarks rather than unit tests
 * (a run takes minutes): 100 clients of 600 examples, IID or pathological non-IID (200 shards of
 * 300), evaluated on the 10,000 test images after every round. Command line:
 * {@code model(2nn|logistic) split(iid|noniid) C E B learningRate targetAccuracy maxRounds [seed]}.
 */
public final class MnistExperiment {
    public static final int CLIENTS = 100;
    public static final int EXAMPLES_PER_CLIENT = 600;

    private MnistExperiment() {
    }

    /** Runs one configuration on the MNIST files in {@code files}. */
    public static FederatedSimulation.Result run(MnistFiles files, Model model, boolean iid,
            FederatedSimulation.Settings settings) throws IOException, LearningException {
        Dataset train = files.train();
        Dataset test = files.test();
        long seed = settings.plan().seed();
        int[][] clients = iid ? Splits.iid(train, CLIENTS, EXAMPLES_PER_CLIENT, seed)
                : Splits.pathologicalNonIid(train, 2 * CLIENTS, EXAMPLES_PER_CLIENT / 2, 2, seed);
        return new FederatedSimulation(model, train, clients, test).run(settings);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 8) {
            System.err.println("usage: MnistExperiment 2nn|logistic iid|noniid C E B learningRate targetAccuracy maxRounds [seed]");
            System.exit(2);
        }
        Model model = args[0].equals("2nn") ? TwoNN.MNIST : LogisticRegression.MNIST;
        boolean iid = args[1].equals("iid");
        int b = args[4].equals("inf") ? TrainingPlan.FULL_BATCH : Integer.parseInt(args[4]);
        TrainingPlan plan = new TrainingPlan(Integer.parseInt(args[3]), b, Double.parseDouble(args[5]),
                args.length > 8 ? Long.parseLong(args[8]) : 1);
        FederatedSimulation.Settings settings = new FederatedSimulation.Settings(Double.parseDouble(args[2]), plan,
                Integer.parseInt(args[7]), Double.parseDouble(args[6]), 0, null);
        long start = System.nanoTime();
        FederatedSimulation.Result result = run(MnistFiles.ensure(MnistFiles.defaultCache()), model, iid, settings);
        for (FederatedSimulation.Round r : result.rounds()) {
            System.out.printf(Locale.ROOT, "round %d accuracy %.4f%n", r.round(), r.accuracy());
        }
        System.out.printf(Locale.ROOT, "%s after %d rounds, %.1f s%n", result.stop(), result.rounds().size(),
                (System.nanoTime() - start) / 1e9);
    }
}
