package org.qdht.transport.quic.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;

/**
 * The cache of connections by remote socket address, one per address, bounded by
 * {@code maxConnections}. At the bound the least recently used connection without open streams
 * makes room; when every connection has streams, new ones are refused. Addresses whose handshake
 * failed are refused for a short backoff, so a dead peer costs one handshake, not one per message.
 * Thread safe (one lock, held only for map work).
 */
final class ConnectionTable {
    /** Remembered unreachable addresses; the oldest are forgotten first. */
    static final int MAX_UNREACHABLE_REMEMBERED = 1024;

    /** The connection to use; {@code created} says whether the caller must open it; {@code evicted} must be closed. */
    record Admission(PeerConnection connection, boolean created, PeerConnection evicted) {
    }

    private final int max;
    private final long backoffNanos;
    private final TrafficCounters counters;
    private final Map<InetSocketAddress, PeerConnection> byAddress = new HashMap<>();
    private final Map<InetSocketAddress, Long> unreachableUntil = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Long> eldest) {
            return size() > MAX_UNREACHABLE_REMEMBERED;
        }
    };

    ConnectionTable(int max, Duration unreachableBackoff, TrafficCounters counters) {
        this.max = max;
        this.backoffNanos = unreachableBackoff.toNanos();
        this.counters = counters;
    }

    /** The connection to {@code target}: the cached one, or a new one from {@code factory} that the caller connects. */
    synchronized Admission outbound(InetSocketAddress target, Supplier<PeerConnection> factory) throws TransportException {
        PeerConnection existing = byAddress.get(target);
        if (existing != null && !existing.isClosed()) {
            return new Admission(existing, false, null);
        }
        Long until = unreachableUntil.get(target);
        if (until != null) {
            if (until - System.nanoTime() > 0) {
                counters.rejected(TrafficCounters.UNREACHABLE);
                throw new TransportException(Reason.UNREACHABLE, "quic://" + QuicLocation.format(target)
                        + " did not answer a QUIC handshake a moment ago; retry later");
            }
            unreachableUntil.remove(target);
        }
        PeerConnection evicted = null;
        if (existing == null && byAddress.size() >= max) {
            evicted = leastRecentlyUsedIdle();
            if (evicted == null) {
                counters.rejected(TrafficCounters.CONNECTION_LIMIT);
                throw new TransportException(Reason.RATE_LIMITED, "all " + max
                        + " QUIC connections have open streams (setting maxConnections)");
            }
            byAddress.remove(evicted.socketAddress());
        }
        PeerConnection created = factory.get();
        byAddress.put(target, created);
        return new Admission(created, true, evicted);
    }

    /**
     * Admits a connection a peer opened; null if the table is full of busy connections. A new
     * connection from an address that already has one replaces it: the peer restarted.
     */
    synchronized Admission inbound(PeerConnection connection) {
        PeerConnection replaced = byAddress.remove(connection.socketAddress());
        PeerConnection evicted = replaced;
        if (replaced == null && byAddress.size() >= max) {
            evicted = leastRecentlyUsedIdle();
            if (evicted == null) {
                return null;
            }
            byAddress.remove(evicted.socketAddress());
        }
        byAddress.put(connection.socketAddress(), connection);
        unreachableUntil.remove(connection.socketAddress());
        return new Admission(connection, true, evicted);
    }

    synchronized void remove(PeerConnection connection) {
        byAddress.remove(connection.socketAddress(), connection);
    }

    /** The handshake to this connection's address failed: forget it and refuse the address for a while. */
    synchronized void unreachable(PeerConnection connection) {
        byAddress.remove(connection.socketAddress(), connection);
        unreachableUntil.put(connection.socketAddress(), System.nanoTime() + backoffNanos);
    }

    synchronized List<PeerConnection> snapshot() {
        return new ArrayList<>(byAddress.values());
    }

    synchronized List<PeerConnection> clear() {
        List<PeerConnection> all = new ArrayList<>(byAddress.values());
        byAddress.clear();
        unreachableUntil.clear();
        return all;
    }

    synchronized int size() {
        return byAddress.size();
    }

    private PeerConnection leastRecentlyUsedIdle() {
        PeerConnection oldest = null;
        for (PeerConnection c : byAddress.values()) {
            if (c.isEstablished() && c.openStreams() == 0
                    && (oldest == null || c.lastActivity() - oldest.lastActivity() < 0)) {
                oldest = c;
            }
        }
        return oldest;
    }
}
