package org.qdht.api.channel;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;

/**
 * An authenticated, encrypted session with one peer node. Messages are delivered intact or not at
 * all, at most once (replays are rejected); delivery itself is not guaranteed, so protocols that
 * need it acknowledge at their level. The session re-keys itself, also when the node switches
 * suite, without losing queued messages. Thread safe: any number of threads may send.
 */
@ProviderType
public interface SecureSession extends AutoCloseable {
    /** Largest message {@link #send} takes: 1 MiB. */
    int MAX_MESSAGE_SIZE = 1 << 20;

    /** The authenticated identity of the peer. */
    NodeId peer();

    /** The suite the session's current keys were agreed with; changes when the session re-keys to another suite. */
    SuiteId suite();

    /**
     * Sends one message to the peer's handler for {@code protocol}; the peer drops it if no
     * handler is registered. May block briefly while the transport takes the bytes, never waits
     * for the peer. Messages larger than a datagram go over a stream or are fragmented, never cut.
     * The array is not kept.
     *
     * @throws ChannelException {@code TOO_LARGE} above {@value #MAX_MESSAGE_SIZE} bytes, or above
     *         what the session's transport carries when it has no streams (UDP's configured limit),
     *         {@code CLOSED} once the session is closed
     * @throws IllegalArgumentException if {@code protocol} is not a valid protocol code
     *         ({@link Protocols#isValid(int)})
     */
    void send(int protocol, byte[] message) throws ChannelException;

    /** Whether the session can still send; false after {@link #close()} or a fatal error. */
    boolean isOpen();

    /** A snapshot of the session's state and counters. */
    SessionInfo info();

    /** Closes the session and tells the peer, best effort. Idempotent; never throws. */
    @Override
    void close();
}
