package org.qdht.api.messaging;

/**
 * A message or publication could not be sent, or a group operation failed. The {@link #reason()}
 * says what the caller can do about it; the message says it to a person and never contains message
 * content.
 */
public class MessagingException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed, for callers that react differently and for per-reason counters. */
    public enum Reason {
        /** A body or payload exceeds its maximum size. */
        TOO_LARGE,
        /** The recipient or a new member has no published identity or prekeys. */
        UNKNOWN_RECIPIENT,
        /** This node is not a member of the group. */
        UNKNOWN_GROUP,
        /** The group would exceed {@link Messenger#MAX_GROUP_SIZE} members. */
        GROUP_TOO_LARGE,
        /** Neither a session nor a mailbox took the message, or no peer is on the topic. */
        UNDELIVERABLE,
        /** The operation ran out of time. */
        TIMEOUT,
        /** The provider or the node is shutting down. */
        CLOSED
    }

    private final Reason reason;

    public MessagingException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public MessagingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
