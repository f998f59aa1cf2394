package org.qdht.api.channel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;

/**
 * Opens and lists the secure sessions of one node. Registered by a channel provider per node with
 * the service property {@value #NODE_PROPERTY}. Inbound sessions are accepted by the provider
 * without a call here; their messages reach {@link SessionMessageHandler}s. Thread safe.
 */
@ProviderType
public interface SecureChannels {
    /** Service property (String): the name of the node whose identity the sessions use. */
    String NODE_PROPERTY = "qdht.node.name";

    /**
     * Connects to the node at {@code address}, or returns the open session with it if there is
     * one. With {@code expectedPeer} present the handshake fails unless the peer proves that
     * identity; with it empty any valid identity is accepted (bootstrap). Returns at once; the stage
     * completes with an open session, or exceptionally with a {@link ChannelException}:
     * {@code AUTHENTICATION_FAILED} (wrong identity, bad signature, failed NodeId puzzle),
     * {@code DOWNGRADE}, {@code UNKNOWN_SUITE} (no suite in common), {@code MALFORMED},
     * {@code TIMEOUT}, or {@code CLOSED} with the transport's exception as cause when the address
     * cannot be reached.
     */
    CompletionStage<SecureSession> connect(PeerAddress address, Optional<NodeId> expectedPeer);

    /** A snapshot of the open sessions, inbound and outbound. */
    List<SessionInfo> sessions();

    /**
     * Counts since the provider started of packets refused or handled specially, by short reason
     * name: for example {@code malformed}, {@code bad-mac}, {@code replay}, {@code unknown-suite},
     * {@code downgrade}, {@code authentication-failed}, {@code rate-limited}, {@code retry-sent},
     * {@code handshake-timeout}. A snapshot, for operators and tests.
     *
     * @since 1.1
     */
    Map<String, Long> counters();
}
