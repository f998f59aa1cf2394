package org.qdht.transport.quic.internal;

import java.util.List;
import java.util.Optional;

import org.qdht.api.PeerAddress;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.Transport;

/**
 * Hands inbound traffic of one node to the whiteboard: each datagram to every matching
 * {@link DatagramHandler} (each gets its own copy), each stream to the one best
 * {@link StreamHandler} or refused. A handler that throws is logged and counted and harms neither
 * the sender nor the other handlers.
 */
final class HandlerDispatch {
    private final Transport transport;
    private final String node;
    private final HandlerBoard handlers;
    private final TrafficCounters counters;
    private final EndpointLog log;

    HandlerDispatch(Transport transport, String node, HandlerBoard handlers, TrafficCounters counters, EndpointLog log) {
        this.transport = transport;
        this.node = node;
        this.handlers = handlers;
        this.counters = counters;
        this.log = log;
    }

    /** Runs on the endpoint's inbound thread. */
    void datagram(PeerAddress from, byte[] datagram) {
        List<DatagramHandler> targets = handlers.datagramHandlers(node);
        if (targets.isEmpty()) {
            counters.rejected(TrafficCounters.NO_HANDLER);
            return;
        }
        counters.datagramIn(datagram.length);
        for (int i = 0; i < targets.size(); i++) {
            byte[] own = i == targets.size() - 1 ? datagram : datagram.clone();
            try {
                targets.get(i).onDatagram(transport, from, own);
            } catch (RuntimeException e) {
                counters.rejected(TrafficCounters.HANDLER_FAILED);
                log.warn("a datagram handler of node '" + node + "' failed on a datagram from " + from, e);
            }
        }
    }

    /** Runs on the connection's Kwik callback thread; from here the handler owns the stream. */
    void stream(QuicTransportStream stream) {
        Optional<StreamHandler> handler = handlers.streamHandler(node);
        if (handler.isEmpty()) {
            counters.rejected(TrafficCounters.NO_HANDLER);
            stream.refuse();
            return;
        }
        try {
            handler.get().onStream(transport, stream);
        } catch (RuntimeException e) {
            counters.rejected(TrafficCounters.HANDLER_FAILED);
            log.warn("the stream handler of node '" + node + "' failed on a stream from " + stream.remote(), e);
            stream.close();
        }
    }
}
