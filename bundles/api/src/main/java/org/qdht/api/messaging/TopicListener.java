package org.qdht.api.messaging;

import org.osgi.annotation.versioning.ConsumerType;
import org.qdht.api.NodeId;

/**
 * Receives publications, registered as a whiteboard service with the service properties
 * {@value #TOPIC_PROPERTY} (String or String[], required: the topics, each following the
 * {@link Topics} rules; a listener without a valid topic is ignored and logged) and
 * {@value #NODE_PROPERTY} (String: the node that subscribes; absent means every node in the
 * framework). Registering the first listener for a topic subscribes the node; unregistering the
 * last unsubscribes it.
 *
 * <p>Publications may be delivered concurrently, so implementations are thread safe and return
 * quickly. An exception thrown by a listener is logged and does not affect other listeners.
 */
@ConsumerType
public interface TopicListener {
    /** Service property (String or String[]): the topics this listener receives. */
    String TOPIC_PROPERTY = "qdht.topic";
    /** Service property (String): the name of the node that subscribes. */
    String NODE_PROPERTY = "qdht.node.name";

    /**
     * One publication of at most {@value PubSub#MAX_PAYLOAD_SIZE} bytes, with a verified publisher
     * signature. The array belongs to the listener.
     */
    void onPublication(String topic, NodeId publisher, byte[] payload);
}
