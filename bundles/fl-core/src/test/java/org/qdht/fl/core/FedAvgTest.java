package org.qdht.fl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;

class FedAvgTest {
    private static ModelUpdate update(long samples, float... delta) {
        return new ModelUpdate(3, ModelParameters.of(delta), samples, Map.of());
    }

    @Test
    void weighsBySampleCount() throws LearningException {
        // (1*[1, 2, -4] + 3*[4, 8, 0]) / 4 = [13/4, 26/4, -4/4]
        float[] mean = FedAvg.weightedAverage(List.of(update(1, 1, 2, -4), update(3, 4, 8, 0)));
        assertArrayEquals(new float[] {3.25f, 6.5f, -1f}, mean, 0f);
        // three clients 100, 200, 700 samples: weights 0.1, 0.2, 0.7
        mean = FedAvg.weightedAverage(List.of(update(100, 10), update(200, 20), update(700, 30)));
        assertArrayEquals(new float[] {26f}, mean, 0f);
    }

    @Test
    void weightsSumToOne() throws LearningException {
        // equal deltas come back unchanged whatever the counts, which holds only if the weights sum to 1
        float[] mean = FedAvg.weightedAverage(List.of(update(1, 0.3f, -7f), update(59, 0.3f, -7f), update(600, 0.3f, -7f)));
        assertArrayEquals(new float[] {0.3f, -7f}, mean, 0f);
    }

    @Test
    void aggregatorGivesTheSameAsParameters() throws LearningException {
        ModelParameters p = new FedAvg().aggregate(List.of(update(1, 1, 2, -4), update(3, 4, 8, 0)));
        assertEquals(ModelParameters.of(new float[] {3.25f, 6.5f, -1f}), p);
    }

    @Test
    void refusesEmptyAndMismatchedUpdates() {
        LearningException empty = assertThrows(LearningException.class, () -> FedAvg.weightedAverage(List.of()));
        assertEquals(LearningException.Reason.NOT_ENOUGH_PARTICIPANTS, empty.reason());
        LearningException dims = assertThrows(LearningException.class,
                () -> FedAvg.weightedAverage(List.of(update(1, 1, 2), update(1, 1))));
        assertEquals(LearningException.Reason.INVALID_UPDATE, dims.reason());
        LearningException version = assertThrows(LearningException.class, () -> FedAvg.weightedAverage(
                List.of(update(1, 1), new ModelUpdate(4, ModelParameters.of(new float[] {1}), 1, Map.of()))));
        assertEquals(LearningException.Reason.INVALID_UPDATE, version.reason());
    }
}
