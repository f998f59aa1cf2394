package org.qdht.api.learning;

/**
 * A learning operation failed. The {@link #reason()} says what the caller can do about it; the
 * message says it to a person and never contains training data.
 */
public class LearningException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed, for callers that react differently and for per-reason counters. */
    public enum Reason {
        /** No manifest of the model is known. */
        UNKNOWN_MODEL,
        /** No peer holds the requested chunk. */
        NOT_FOUND,
        /** No {@link LocalTrainer} is registered for the model's type. */
        NO_TRAINER,
        /** Local training failed: no data, data unreadable, or the trainer's own error (see the cause). */
        TRAINING_FAILED,
        /** Updates disagree in dimension or base version, or an update does not fit the model. */
        INVALID_UPDATE,
        /** Too few updates arrived to aggregate, or to unmask under secure aggregation. */
        NOT_ENOUGH_PARTICIPANTS,
        /** Releasing another result would exceed the configured privacy budget. */
        PRIVACY_BUDGET_EXHAUSTED,
        /** A manifest's signature does not verify, or its signer is not a trusted master for the model. */
        REJECTED,
        /** A chunk does not match its hash in the manifest. */
        INTEGRITY,
        /** A manifest of the same or a newer version is already published. */
        STALE_VERSION,
        /** A training run of the model is already going on at this node. */
        ALREADY_RUNNING,
        /** The operation was stopped or its thread interrupted. */
        CANCELLED,
        /** The operation ran out of time. */
        TIMEOUT,
        /** The provider or the node is shutting down. */
        CLOSED
    }

    private final Reason reason;

    public LearningException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LearningException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
