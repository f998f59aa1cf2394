package org.qdht.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Accepts inbound streams, registered as a whiteboard service with the same filtering service
 * properties as {@link DatagramHandler}: {@value #SCHEME_PROPERTY} (String or String[], absent
 * means every scheme) and {@value #NODE_PROPERTY} (String, absent means every node). A stream has
 * one owner, so each inbound stream goes to one matching handler only: the one with the highest
 * {@code service.ranking}, ties to the lowest {@code service.id}. With no matching handler the
 * transport refuses the stream.
 *
 * <p>Called on the transport's threads, possibly concurrently: implementations are thread safe
 * and return quickly, reading the stream on their own threads. From the call on, the handler owns
 * the stream and must close it. If the handler throws, the transport closes the stream.
 */
@ConsumerType
public interface StreamHandler {
    /** Service property filtering by transport scheme; same name as {@link Transport#SCHEME_PROPERTY}. */
    String SCHEME_PROPERTY = Transport.SCHEME_PROPERTY;
    /** Service property filtering by node name; same name as {@link Transport#NODE_PROPERTY}. */
    String NODE_PROPERTY = Transport.NODE_PROPERTY;

    /** A stream a peer opened to this node through {@code transport}; its content is unauthenticated. */
    void onStream(Transport transport, TransportStream stream);
}
