package org.qdht.api.anonymity;

/**
 * An anonymous operation could not be done. The {@link #reason()} says what the caller can do
 * about it; the message says it to a person and never names the relays used.
 */
public class AnonymityException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed, for callers that react differently and for per-reason counters. */
    public enum Reason {
        /** No circuit could be built or kept, for example because onion keys are not yet known. */
        NO_CIRCUIT,
        /** Too few relays are known to build a circuit of the required length. */
        NOT_ENOUGH_RELAYS,
        /** The operation ran out of time, in the circuit or at its far end. */
        TIMEOUT,
        /** The far end refused the operation; the cause, if any, says why. */
        REJECTED,
        /** The request or reply does not fit the fixed packet size, or a mailbox entry is too large. */
        TOO_LARGE
    }

    private final Reason reason;

    public AnonymityException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AnonymityException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
