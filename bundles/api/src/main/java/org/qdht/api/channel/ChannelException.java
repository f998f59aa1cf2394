package org.qdht.api.channel;

/**
 * A secure-channel handshake or message failed. The {@link #reason()} says what the caller can do
 * about it; the message says it to a person and never contains key material.
 */
public class ChannelException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed, for callers that react differently and for per-reason counters. */
    public enum Reason {
        /** The peer did not prove the expected identity, or a signature or AEAD tag did not verify. */
        AUTHENTICATION_FAILED,
        /** The handshake transcript shows the offered suites or versions were tampered with. */
        DOWNGRADE,
        /** A message was seen before, or is outside the replay window. */
        REPLAY,
        /** The peer uses no suite this node holds. */
        UNKNOWN_SUITE,
        /** A handshake or message does not follow the format. */
        MALFORMED,
        /** A message exceeds {@link SecureSession#MAX_MESSAGE_SIZE}. */
        TOO_LARGE,
        /** The session or the channel provider is closed, or the peer cannot be reached. */
        CLOSED,
        /** The handshake or an operation ran out of time. */
        TIMEOUT
    }

    private final Reason reason;

    public ChannelException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ChannelException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
