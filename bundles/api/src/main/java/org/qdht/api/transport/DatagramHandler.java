package org.qdht.api.transport;

import org.osgi.annotation.versioning.ConsumerType;
import org.qdht.api.PeerAddress;

/**
 * Receives inbound datagrams, registered as a whiteboard service. A transport delivers each
 * datagram to every handler whose service properties match it:
 * <ul>
 * <li>{@value #SCHEME_PROPERTY} (String or String[]): only datagrams of these schemes; absent
 * means every scheme.</li>
 * <li>{@value #NODE_PROPERTY} (String): only datagrams arriving at this node; absent means every
 * node in the framework.</li>
 * </ul>
 * Called on the transport's receive threads, possibly concurrently: implementations are thread
 * safe, return quickly and hand slow work to their own executor. The datagram is unauthenticated
 * input of at most the transport's {@link Transport#maxDatagramSize()} bytes. An exception thrown
 * by a handler is logged and counted by the transport and does not reach the sender or other handlers.
 */
@ConsumerType
public interface DatagramHandler {
    /** Service property filtering by transport scheme; same name as {@link Transport#SCHEME_PROPERTY}. */
    String SCHEME_PROPERTY = Transport.SCHEME_PROPERTY;
    /** Service property filtering by node name; same name as {@link Transport#NODE_PROPERTY}. */
    String NODE_PROPERTY = Transport.NODE_PROPERTY;

    /**
     * One datagram from {@code from}, received by {@code transport} (use it to reply). The array
     * belongs to the handler.
     */
    void onDatagram(Transport transport, PeerAddress from, byte[] datagram);
}
