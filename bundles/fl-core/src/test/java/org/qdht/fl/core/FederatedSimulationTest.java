package org.qdht.fl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.ModelId;
import org.qdht.api.learning.RoundStatus;
import org.qdht.api.learning.TrainingPlan;

class FederatedSimulationTest {
    private static final TrainingPlan PLAN = new TrainingPlan(5, 10, 0.1, 9);

    /** 10 IID clients of 200 MNIST examples each, evaluated on 2,000 test images. */
    private static FederatedSimulation simulation(Model model) {
        Dataset train = RealMnist.train().head(2000);
        return new FederatedSimulation(model, train, Splits.iid(train, 10, 200, 4), RealMnist.test().head(2000));
    }

    @Test
    void logisticRegressionLearnsWellAboveChance() throws LearningException {
        FederatedSimulation.Result result = simulation(LogisticRegression.MNIST).run(
                new FederatedSimulation.Settings(0.5, PLAN, 5, 2, 0, null));
        assertEquals(5, result.rounds().size());
        assertEquals(FederatedSimulation.Stop.MAX_ROUNDS, result.stop());
        for (FederatedSimulation.Round r : result.rounds()) {
            assertEquals(5, r.sampled());
            assertEquals(5, r.reported());
        }
        double last = result.rounds().get(4).accuracy();
        assertTrue(last > 0.8, "accuracy after 5 rounds " + last);
        assertTrue(last > result.rounds().get(0).accuracy() - 0.02, "accuracy should not fall back");
    }

    @Test
    void twoNnLearnsAndSameSeedGivesSameModel() throws LearningException {
        FederatedSimulation.Settings settings = new FederatedSimulation.Settings(0.3, PLAN, 3, 2, 0, null);
        FederatedSimulation.Result a = simulation(TwoNN.MNIST).run(settings);
        FederatedSimulation.Result b = simulation(TwoNN.MNIST).run(settings);
        assertArrayEquals(a.parameters(), b.parameters());
        assertEquals(a.rounds(), b.rounds());
        assertTrue(a.rounds().get(2).accuracy() > 0.8, "2NN accuracy " + a.rounds().get(2).accuracy());
    }

    @Test
    void dropoutsAreAveragedAwayAndCounted() throws LearningException {
        FederatedSimulation.Result result = simulation(LogisticRegression.MNIST).run(
                new FederatedSimulation.Settings(1.0, PLAN, 4, 2, 0.3, null));
        for (FederatedSimulation.Round r : result.rounds()) {
            assertEquals(10, r.sampled());
            assertEquals(7, r.reported());
        }
        RoundStatus status = result.rounds().get(0).status(ModelId.of("mnist-logistic"));
        assertEquals(3, status.dropouts());
        assertTrue(result.rounds().get(3).accuracy() > 0.8, "accuracy with 30% dropouts " + result.rounds().get(3).accuracy());
    }

    @Test
    void stopsAtTheTargetAccuracy() throws LearningException {
        FederatedSimulation.Result result = simulation(LogisticRegression.MNIST).run(
                new FederatedSimulation.Settings(0.5, PLAN, 50, 0.75, 0, null));
        assertEquals(FederatedSimulation.Stop.TARGET_REACHED, result.stop());
        FederatedSimulation.Round last = result.rounds().get(result.rounds().size() - 1);
        assertTrue(last.accuracy() >= 0.75);
        assertTrue(result.rounds().size() < 50);
        assertEquals(last.round(), result.roundsTo(0.75));
    }

    @Test
    void privateRunReportsEpsilonAndStopsAtTheBudget() throws LearningException {
        FederatedSimulation.Privacy privacy = new FederatedSimulation.Privacy(1.0, 0.5, 1e-5, 12);
        FederatedSimulation.Result result = simulation(LogisticRegression.MNIST).run(
                new FederatedSimulation.Settings(1.0, PLAN, 100, 2, 0, privacy));
        assertEquals(FederatedSimulation.Stop.BUDGET_EXHAUSTED, result.stop());
        double previous = 0;
        for (FederatedSimulation.Round r : result.rounds()) {
            assertTrue(r.epsilon() > previous, "epsilon grows each round");
            assertTrue(r.epsilon() <= 12, "epsilon " + r.epsilon() + " beyond the budget");
            previous = r.epsilon();
        }
        // every client takes part (q = 1): the rounds are plain Gaussian mechanisms
        RdpAccountant check = new RdpAccountant(1e-5);
        check.compose(1.0, 1.0, result.rounds().size());
        assertEquals(check.epsilon(), previous, 1e-12);
        assertTrue(check.wouldExceed(12, 1.0, 1.0, 1), "one more round would have exceeded the budget");
    }
}
