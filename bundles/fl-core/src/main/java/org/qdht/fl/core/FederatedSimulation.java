package org.qdht.fl.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.ModelId;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;
import org.qdht.api.learning.RoundStatus;
import org.qdht.api.learning.TrainingPlan;

/**
 * FedAvg rounds in one process (McMahan et al. 2017, algorithm 1): each round samples
 * {@code max(round(C * K), 1)} of the K clients, lets each train E epochs of minibatch SGD (batch B)
 * from the current global model, and moves the global model by the weighted mean of their changes,
 * or by DP-FedAvg's noisy mean when privacy is configured. A deadline model of dropouts: a fixed
 * share of the sampled clients misses the deadline each round, and the round averages the others.
 * All randomness derives from the plan's seed, and clients train in parallel on separate generators
 * split off in a fixed order, so a run is reproducible whatever the thread count.
 */
public final class FederatedSimulation {
    /** DP-FedAvg settings: noise multiplier z, clipping bound C, target delta, epsilon budget. */
    public record Privacy(double noiseMultiplier, double clipNorm, double delta, double epsilonBudget) {
    }

    /**
     * @param clientFraction C, in (0, 1]
     * @param plan           E, B ({@link TrainingPlan#FULL_BATCH} for all local data), learning rate, seed
     * @param maxRounds      rounds at most
     * @param targetAccuracy stop once test accuracy reaches this; above 1 never stops early
     * @param dropoutRate    share of sampled clients that do not report, in [0, 1)
     * @param privacy        DP-FedAvg settings, or null for plain FedAvg
     */
    public record Settings(double clientFraction, TrainingPlan plan, int maxRounds, double targetAccuracy,
            double dropoutRate, Privacy privacy) {
        public Settings {
            if (!(clientFraction > 0 && clientFraction <= 1)) {
                throw new IllegalArgumentException("client fraction C must be in (0, 1], got " + clientFraction);
            }
            if (plan == null || maxRounds < 1) {
                throw new IllegalArgumentException("need a training plan and at least one round");
            }
            if (!(dropoutRate >= 0 && dropoutRate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropoutRate);
            }
        }
    }

    /** One finished round; epsilon is NaN without privacy. */
    public record Round(int round, int sampled, int reported, double accuracy, double epsilon) {
        /** The round in the API's form. */
        public RoundStatus status(ModelId model) {
            return new RoundStatus(model, round, RoundStatus.State.COMPLETED, sampled, sampled - reported,
                    OptionalDouble.of(accuracy), Double.isNaN(epsilon) ? OptionalDouble.empty() : OptionalDouble.of(epsilon));
        }
    }

    /** Why a run ended. */
    public enum Stop { MAX_ROUNDS, TARGET_REACHED, BUDGET_EXHAUSTED }

    /** The rounds run, the final global parameters, and why the run stopped. */
    public record Result(List<Round> rounds, float[] parameters, Stop stop) {
        /** Round in which the test accuracy first reached {@code target}, or -1. */
        public int roundsTo(double target) {
            return rounds.stream().filter(r -> r.accuracy() >= target).mapToInt(Round::round).findFirst().orElse(-1);
        }
    }

    private final Model model;
    private final Dataset train;
    private final int[][] clients;
    private final Dataset test;

    /**
     * @param clients example indices into {@code train} per client, as from {@link Splits}
     * @param test    data the global model is evaluated on after every round
     */
    public FederatedSimulation(Model model, Dataset train, int[][] clients, Dataset test) {
        if (clients.length == 0) {
            throw new IllegalArgumentException("need at least one client");
        }
        for (int[] c : clients) {
            if (c.length == 0) {
                throw new IllegalArgumentException("every client needs at least one example");
            }
        }
        this.model = model;
        this.train = train;
        this.clients = clients;
        this.test = test;
    }

    /**
     * Runs rounds from the model's initial parameters for the plan's seed.
     *
     * @throws LearningException {@code TRAINING_FAILED} when local training diverges to non-finite values
     */
    public Result run(Settings settings) throws LearningException {
        TrainingPlan plan = settings.plan();
        SplittableRandom rng = new SplittableRandom(plan.seed());
        float[] global = model.initialParameters(rng.nextLong());
        DpFedAvg dp = settings.privacy() == null ? null : new DpFedAvg(clients.length, settings.privacy().delta(),
                settings.privacy().epsilonBudget(), rng.split());
        int k = clients.length;
        int m = Math.max((int) Math.round(settings.clientFraction() * k), 1);
        int drop = (int) Math.round(settings.dropoutRate() * m);
        List<Round> rounds = new ArrayList<>();
        for (int round = 1; round <= settings.maxRounds(); round++) {
            int[] sampled = Splits.permutation(k, rng);
            int reported = Math.max(m - drop, 1); // the first m of a random order are sampled, the first reported report
            SplittableRandom[] clientRng = new SplittableRandom[reported];
            for (int i = 0; i < reported; i++) {
                clientRng[i] = rng.split();
            }
            float[] base = global;
            long version = round - 1;
            ModelUpdate[] updates = new ModelUpdate[reported];
            try {
                IntStream.range(0, reported).parallel().forEach(i -> updates[i] =
                        localUpdate(base, version, clients[sampled[i]], plan, clientRng[i]));
            } catch (IllegalArgumentException diverged) {
                throw new LearningException(LearningException.Reason.TRAINING_FAILED,
                        "local training in round " + round + " diverged; lower the learning rate", diverged);
            }
            float[] change;
            if (dp == null) {
                change = FedAvg.weightedAverage(List.of(updates));
            } else {
                try {
                    change = dp.aggregate(List.of(updates), settings.privacy().noiseMultiplier(),
                            settings.privacy().clipNorm()).values();
                } catch (LearningException e) {
                    if (e.reason() == LearningException.Reason.PRIVACY_BUDGET_EXHAUSTED) {
                        return new Result(List.copyOf(rounds), global, Stop.BUDGET_EXHAUSTED);
                    }
                    throw e;
                }
            }
            float[] next = global.clone();
            for (int i = 0; i < next.length; i++) {
                next[i] += change[i];
            }
            global = next;
            double accuracy = model.accuracy(global, test);
            rounds.add(new Round(round, m, reported, accuracy, dp == null ? Double.NaN : dp.spent().epsilon()));
            if (accuracy >= settings.targetAccuracy()) {
                return new Result(List.copyOf(rounds), global, Stop.TARGET_REACHED);
            }
        }
        return new Result(List.copyOf(rounds), global, Stop.MAX_ROUNDS);
    }

    private ModelUpdate localUpdate(float[] global, long version, int[] examples, TrainingPlan plan, SplittableRandom rng) {
        float[] local = global.clone();
        int batch = (int) Math.min(plan.batchSize(), examples.length);
        model.train(local, train, examples, plan.epochs(), batch, (float) plan.learningRate(), rng);
        for (int i = 0; i < local.length; i++) {
            local[i] -= global[i];
        }
        return new ModelUpdate(version, ModelParameters.of(local), examples.length, Map.of());
    }
}
