package org.qdht.transport.support;

import java.util.Map;
import java.util.TreeMap;

import org.qdht.api.transport.TransportStats;

/** The counters behind {@link TransportStats}; synchronized so a snapshot is consistent. */
public final class TrafficCounters {
    private long datagramsIn;
    private long datagramsOut;
    private long bytesIn;
    private long bytesOut;
    private final Map<String, Long> rejected = new TreeMap<>();

    public synchronized void datagramReceived(int bytes) {
        datagramsIn++;
        bytesIn += bytes;
    }

    public synchronized void datagramSent(int bytes) {
        datagramsOut++;
        bytesOut += bytes;
    }

    public synchronized void streamBytesReceived(int bytes) {
        bytesIn += bytes;
    }

    public synchronized void streamBytesSent(int bytes) {
        bytesOut += bytes;
    }

    public synchronized void reject(String reason) {
        rejected.merge(reason, 1L, Long::sum);
    }

    public synchronized TransportStats snapshot() {
        return new TransportStats(datagramsIn, datagramsOut, bytesIn, bytesOut, rejected);
    }
}
