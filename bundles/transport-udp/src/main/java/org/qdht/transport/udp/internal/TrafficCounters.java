package org.qdht.transport.udp.internal;

import java.util.Map;
import java.util.TreeMap;

import org.qdht.api.transport.TransportStats;

/** The counters behind {@link TransportStats}; synchronized so a snapshot is consistent. */
final class TrafficCounters {
    private long datagramsIn;
    private long datagramsOut;
    private long bytesIn;
    private long bytesOut;
    private final Map<String, Long> rejected = new TreeMap<>();

    synchronized void received(int payloadBytes) {
        datagramsIn++;
        bytesIn += payloadBytes;
    }

    synchronized void sent(int payloadBytes) {
        datagramsOut++;
        bytesOut += payloadBytes;
    }

    synchronized void reject(String reason) {
        rejected.merge(reason, 1L, Long::sum);
    }

    synchronized TransportStats snapshot() {
        return new TransportStats(datagramsIn, datagramsOut, bytesIn, bytesOut, rejected);
    }
}
