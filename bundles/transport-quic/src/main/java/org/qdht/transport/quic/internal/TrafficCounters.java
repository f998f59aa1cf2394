package org.qdht.transport.quic.internal;

import java.util.Map;
import java.util.TreeMap;

import org.qdht.api.transport.TransportStats;

/** The counters behind {@link QuicEndpoint#stats()}; one lock, so a snapshot is consistent. */
final class TrafficCounters {
    // short reason names for TransportStats.rejected, one per cause an operator can act on
    static final String TOO_LARGE = "too-large";
    static final String UNREACHABLE = "unreachable";
    static final String QUEUE_FULL = "rate-limited";
    static final String CONNECTION_LIMIT = "connection-limit";
    static final String STREAM_LIMIT = "stream-limit";
    static final String CLOSED = "closed";
    static final String NO_HANDLER = "no-handler";
    static final String HANDLER_FAILED = "handler-failed";
    static final String INBOUND_QUEUE_FULL = "inbound-queue-full";

    private long datagramsIn;
    private long datagramsOut;
    private long bytesIn;
    private long bytesOut;
    private final Map<String, Long> rejected = new TreeMap<>();

    synchronized void datagramIn(int size) {
        datagramsIn++;
        bytesIn += size;
    }

    synchronized void datagramOut(int size) {
        datagramsOut++;
        bytesOut += size;
    }

    synchronized void streamIn(int size) {
        bytesIn += size;
    }

    synchronized void streamOut(int size) {
        bytesOut += size;
    }

    synchronized void rejected(String reason) {
        rejected.merge(reason, 1L, Long::sum);
    }

    synchronized TransportStats snapshot() {
        return new TransportStats(datagramsIn, datagramsOut, bytesIn, bytesOut, rejected);
    }
}
