package org.qdht.api.routing;

/**
 * A DHT operation that could not be done. The {@link #reason()} says what the caller can do about
 * it; the message says it to a person.
 */
public class DhtException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed, for callers that react differently and for per-reason counters. */
    public enum Reason {
        /** The record failed verification: bad signature, unknown suite, failed NodeId puzzle. */
        REJECTED,
        /** A store limit was reached (records, bytes, records per publisher). */
        STORE_FULL,
        /** A newer version of the record is already stored. */
        STALE_VERSION,
        /** The record has expired. */
        EXPIRED,
        /** No peer could be reached to carry out the operation. */
        NO_ROUTE,
        /** The operation ran out of time. */
        TIMEOUT,
        /** The node is in client mode, or otherwise not able to do this. */
        NOT_SUPPORTED,
        /** The store or the node is shutting down. */
        CLOSED
    }

    private final Reason reason;

    public DhtException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DhtException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
