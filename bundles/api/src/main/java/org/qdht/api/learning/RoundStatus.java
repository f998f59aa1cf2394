package org.qdht.api.learning;

import java.util.OptionalDouble;

/**
 * The state of one round of a training run, for operators and tests. Immutable and thread safe.
 *
 * @param model        the model trained
 * @param round        round number, from 1
 * @param state        where the round is
 * @param participants clients selected for the round
 * @param dropouts     selected clients whose update did not arrive, at most {@code participants}
 * @param accuracy     accuracy of the round's resulting model on evaluation data, in [0, 1], once known
 * @param epsilon      privacy loss spent up to and including this round, when differential privacy is on
 */
public record RoundStatus(ModelId model, int round, State state, int participants, int dropouts,
        OptionalDouble accuracy, OptionalDouble epsilon) {

    /** Phases of a round, in the order a round goes through them. */
    public enum State {
        /** Choosing clients and announcing the round. */
        SELECTING,
        /** Clients are training; updates are arriving. */
        TRAINING,
        /** Updates are being aggregated, unmasked and noised. */
        AGGREGATING,
        /** The new model version is published. */
        COMPLETED,
        /** The round ended without a new model version (too many dropouts, budget spent, error). */
        FAILED
    }

    /** @throws IllegalArgumentException for a null field or a value out of the ranges above */
    public RoundStatus {
        if (model == null || state == null || accuracy == null || epsilon == null) {
            throw new IllegalArgumentException("round status fields must not be null (use OptionalDouble.empty())");
        }
        if (round < 1) {
            throw new IllegalArgumentException("round numbers start at 1, got " + round);
        }
        if (participants < 0 || dropouts < 0 || dropouts > participants) {
            throw new IllegalArgumentException("need 0 <= dropouts <= participants, got " + dropouts + " of " + participants);
        }
        if (accuracy.isPresent() && !(accuracy.getAsDouble() >= 0 && accuracy.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("accuracy must be in [0, 1], got " + accuracy.getAsDouble());
        }
        if (epsilon.isPresent() && !(epsilon.getAsDouble() >= 0)) {
            throw new IllegalArgumentException("epsilon must not be negative or NaN, got " + epsilon.getAsDouble());
        }
    }
}
