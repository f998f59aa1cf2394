package org.qdht.transport.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Constants;
import org.qdht.api.transport.Transport;

/**
 * The handler services of one kind with their service properties, and which of them take traffic
 * of a scheme and node, shared by the transport bundles (copied in with -conditionalpackage): {@value Transport#SCHEME_PROPERTY} (String or String[], absent means every
 * scheme) and {@value Transport#NODE_PROPERTY} (absent means every node). Thread safe.
 */
public final class HandlerWhiteboard<T> {
    private static final Comparator<Entry<?>> RANKING_ORDER = Comparator.<Entry<?>>comparingInt(e -> -e.ranking)
            .thenComparingLong(e -> e.serviceId);

    private final List<Entry<T>> entries = new CopyOnWriteArrayList<>();

    public void add(T handler, Map<String, ?> properties) {
        entries.add(new Entry<>(handler, properties));
    }

    public void update(T handler, Map<String, ?> properties) {
        remove(handler);
        add(handler, properties);
    }

    public void remove(T handler) {
        entries.removeIf(e -> e.handler == handler);
    }

    /** The handlers taking traffic of {@code scheme} for {@code node}, highest service.ranking first, ties to the lowest service.id. */
    public List<T> matching(String scheme, String node) {
        List<Entry<T>> found = new ArrayList<>();
        for (Entry<T> e : entries) {
            if (accepts(e.properties.get(Transport.SCHEME_PROPERTY), scheme)
                    && accepts(e.properties.get(Transport.NODE_PROPERTY), node)) {
                found.add(e);
            }
        }
        found.sort(RANKING_ORDER);
        List<T> handlers = new ArrayList<>(found.size());
        for (Entry<T> e : found) {
            handlers.add(e.handler);
        }
        return handlers;
    }

    private static boolean accepts(Object filter, String value) {
        if (filter == null) {
            return true;
        }
        if (filter instanceof String[]) {
            return List.of((String[]) filter).contains(value);
        }
        if (filter instanceof Collection) {
            return ((Collection<?>) filter).contains(value);
        }
        return value.equals(filter);
    }

    private static final class Entry<T> {
        final T handler;
        final Map<String, ?> properties;
        final int ranking;
        final long serviceId;

        Entry(T handler, Map<String, ?> properties) {
            this.handler = handler;
            this.properties = Map.copyOf(properties);
            Object r = properties.get(Constants.SERVICE_RANKING);
            this.ranking = r instanceof Integer ? (Integer) r : 0;
            Object id = properties.get(Constants.SERVICE_ID);
            this.serviceId = id instanceof Long ? (Long) id : Long.MAX_VALUE;
        }
    }
}
