package org.qdht.api.messaging;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the direct and group messages of a node, registered as a whiteboard service; the
 * service property {@value #NODE_PROPERTY} (String) limits it to one node, absent means every node
 * in the framework. Every matching listener gets every message, decrypted and with an
 * authenticated sender, once per {@link MessageId}.
 *
 * <p>Messages may be delivered concurrently, so implementations are thread safe; they return
 * quickly and hand slow work to their own executor. An exception thrown by a listener is logged
 * and does not affect delivery to other listeners.
 */
@ConsumerType
public interface MessageListener {
    /** Service property (String): the name of the node whose messages this listener receives. */
    String NODE_PROPERTY = "qdht.node.name";

    void onMessage(Message message);
}
