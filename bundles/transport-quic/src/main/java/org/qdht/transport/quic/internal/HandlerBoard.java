package org.qdht.transport.quic.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.Transport;

/**
 * The whiteboard of {@link DatagramHandler} and {@link StreamHandler} services with their service
 * properties, and the matching rules of their Javadoc: a handler takes traffic of scheme
 * {@value #SCHEME} unless its {@value Transport#SCHEME_PROPERTY} property names other schemes only,
 * and of every node unless its {@value Transport#NODE_PROPERTY} property names another node.
 * Thread safe; lookups copy, so a handler leaving during a dispatch does no harm.
 */
final class HandlerBoard {
    static final String SCHEME = "quic";

    /** One registered handler and what it asked for. */
    private record Entry<T>(T handler, long serviceId, int ranking, Map<String, ?> properties) {
    }

    private final Map<Object, Entry<DatagramHandler>> datagramHandlers = new ConcurrentHashMap<>();
    private final Map<Object, Entry<StreamHandler>> streamHandlers = new ConcurrentHashMap<>();

    void putDatagramHandler(DatagramHandler handler, Map<String, ?> properties) {
        datagramHandlers.put(new Identity(handler), entry(handler, properties));
    }

    void removeDatagramHandler(DatagramHandler handler) {
        datagramHandlers.remove(new Identity(handler));
    }

    void putStreamHandler(StreamHandler handler, Map<String, ?> properties) {
        streamHandlers.put(new Identity(handler), entry(handler, properties));
    }

    void removeStreamHandler(StreamHandler handler) {
        streamHandlers.remove(new Identity(handler));
    }

    /** Every datagram handler that takes QUIC datagrams arriving at {@code node}. */
    List<DatagramHandler> datagramHandlers(String node) {
        List<DatagramHandler> matching = new ArrayList<>();
        for (Entry<DatagramHandler> e : datagramHandlers.values()) {
            if (matches(e.properties(), node)) {
                matching.add(e.handler());
            }
        }
        return matching;
    }

    /** The stream handler for a stream arriving at {@code node}: highest ranking, then lowest service id. */
    Optional<StreamHandler> streamHandler(String node) {
        return streamHandlers.values().stream()
                .filter(e -> matches(e.properties(), node))
                .min(Comparator.comparingInt((Entry<StreamHandler> e) -> e.ranking()).reversed()
                        .thenComparingLong(Entry::serviceId))
                .map(Entry::handler);
    }

    static boolean matches(Map<String, ?> properties, String node) {
        Object schemes = properties.get(Transport.SCHEME_PROPERTY);
        if (schemes != null && !contains(schemes, SCHEME)) {
            return false;
        }
        Object wantedNode = properties.get(Transport.NODE_PROPERTY);
        return wantedNode == null || node.equals(wantedNode);
    }

    private static boolean contains(Object schemes, String scheme) {
        if (schemes instanceof String s) {
            return s.equals(scheme);
        }
        if (schemes instanceof String[] array) {
            return List.of(array).contains(scheme);
        }
        if (schemes instanceof Collection<?> collection) {
            return collection.contains(scheme);
        }
        return false;
    }

    private static <T> Entry<T> entry(T handler, Map<String, ?> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        return new Entry<>(handler, id instanceof Long l ? l : Long.MAX_VALUE,
                ranking instanceof Integer r ? r : 0, Map.copyOf(properties));
    }

    /** Handlers are keyed by identity: a handler may define equals, the whiteboard must not care. */
    private record Identity(Object handler) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.handler == handler;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(handler);
        }
    }
}
