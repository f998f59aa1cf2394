package org.qdht.api.channel;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the messages of one or more protocols from secure sessions, registered as a whiteboard
 * service with the service properties:
 * <ul>
 * <li>{@value #PROTOCOL_PROPERTY} (Integer or Integer[], required): the protocol codes handled. A
 * handler without it receives nothing.</li>
 * <li>{@value #NODE_PROPERTY} (String): only messages to this node; absent means every node in the
 * framework.</li>
 * </ul>
 * Each message goes to one handler: of several matching ones, the one with the highest
 * {@code service.ranking}, ties to the lowest {@code service.id}.
 *
 * <p>Messages of one session are delivered one at a time, in the order they were received;
 * messages of different sessions may be delivered concurrently, so implementations are thread
 * safe. Handlers return quickly and hand slow work to their own executor. An exception thrown by a
 * handler is logged and counted; the session stays open.
 */
@ConsumerType
public interface SessionMessageHandler {
    /** Service property (Integer or Integer[]): the protocol codes this handler receives. */
    String PROTOCOL_PROPERTY = "qdht.protocol";
    /** Service property (String): the node whose messages this handler receives. */
    String NODE_PROPERTY = SecureChannels.NODE_PROPERTY;

    /**
     * One authenticated and decrypted message of at most {@link SecureSession#MAX_MESSAGE_SIZE}
     * bytes, from {@code session.peer()}. The array belongs to the handler; the content is the
     * peer's and still needs checking against the protocol's own limits.
     */
    void onMessage(SecureSession session, int protocol, byte[] message);
}
