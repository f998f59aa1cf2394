package org.qdht.api.channel;

import java.time.Instant;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;

/**
 * A snapshot of one secure session, for operators and tests. Immutable and thread safe.
 *
 * @param peer        the peer's authenticated identity
 * @param remote      the address the session runs over
 * @param suite       the suite of the session's current keys
 * @param established when the handshake completed
 * @param bytesIn     plaintext bytes of messages received
 * @param bytesOut    plaintext bytes of messages sent
 * @param messagesIn  messages received and accepted
 * @param messagesOut messages sent
 * @param rekeys      completed re-keyings since the handshake, suite switches included
 */
public record SessionInfo(NodeId peer, PeerAddress remote, SuiteId suite, Instant established, long bytesIn,
        long bytesOut, long messagesIn, long messagesOut, long rekeys) {

    /** @throws IllegalArgumentException for a null field or a negative counter */
    public SessionInfo {
        if (peer == null || remote == null || suite == null || established == null) {
            throw new IllegalArgumentException("session info fields must not be null");
        }
        if (bytesIn < 0 || bytesOut < 0 || messagesIn < 0 || messagesOut < 0 || rekeys < 0) {
            throw new IllegalArgumentException("session counters must not be negative");
        }
    }
}
