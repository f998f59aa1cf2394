package org.qdht.api.transport;

import java.io.IOException;

/**
 * A transport could not send, connect or keep a stream. The {@link #reason()} says what the
 * caller can do about it; the message says it to a person.
 */
public class TransportException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed, for callers that react differently and for per-reason counters. */
    public enum Reason {
        /** No route to the address, the address cannot be resolved, or the link is down. */
        UNREACHABLE,
        /** The datagram is larger than {@link Transport#maxDatagramSize()}. */
        TOO_LARGE,
        /** The transport or stream is closed. */
        CLOSED,
        /** The peer or this transport refused: no listener, no stream support, handshake refused. */
        REFUSED,
        /** A send queue or a per-peer rate limit is full; retry later. */
        RATE_LIMITED
    }

    private final Reason reason;

    public TransportException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TransportException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
