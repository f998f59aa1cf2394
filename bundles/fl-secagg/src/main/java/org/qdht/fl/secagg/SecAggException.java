package org.qdht.fl.secagg;

/** A message or state the protocol refuses; the reason lets a driver count and react by kind. */
public final class SecAggException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a step was refused. */
    public enum Reason {
        /** Fewer clients are left than the threshold: the round cannot finish (or must not, for privacy). */
        TOO_FEW_SURVIVORS,
        /** The message belongs to another round. */
        WRONG_ROUND,
        /** The sender or a named peer is not a member of the round at this phase. */
        UNKNOWN_CLIENT,
        /** The same client already sent this message in this round. */
        DUPLICATE_MESSAGE,
        /** A vector does not have the round's length. */
        WRONG_VECTOR_LENGTH,
        /** A sealed share failed its AEAD tag: altered in transit or not made for this client. */
        SHARE_AUTHENTICATION_FAILED,
        /** The message arrived in a phase that does not take it (late, early, or after the end). */
        WRONG_PHASE,
        /** The message contradicts what the receiver knows (missing entries, foreign key, a set that does not add up). */
        INCONSISTENT_MESSAGE,
        /** The cohort already has {@link SecAggLimits#MAX_COHORT} members. */
        COHORT_FULL,
        /** Clients dropped before sending their masked input, and not every survivor revealed its seeds with them. */
        SEEDS_MISSING,
        /** The suite failed to encapsulate, decapsulate or derive. */
        CRYPTO_FAILURE
    }

    private final Reason reason;

    public SecAggException(Reason reason, String message) {
        super(message + " (" + reason + ")");
        this.reason = reason;
    }

    public SecAggException(Reason reason, String message, Throwable cause) {
        super(message + " (" + reason + ")", cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
