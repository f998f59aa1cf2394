package org.qdht.kademlia.core;

/**
 * The adaptive request timeout towards one peer, estimated from its measured round trips as TCP
 * does (RFC 6298: smoothed RTT plus four mean deviations), so that a slow phone on a mobile link is
 * not declared dead by a timeout tuned for a data centre, and a fast peer's loss is noticed early.
 * Not thread safe: each estimator belongs to one routing-table entry.
 */
public final class RoundTripTimes {
    /**
     * Longest round trip a sample counts as (one hour): far beyond any timeout, and small enough
     * that the arithmetic below cannot overflow whatever the driver measures.
     */
    private static final long MAX_SAMPLE_MICROS = 3_600_000_000L;

    private long smoothedMicros = -1;
    private long deviationMicros;

    /** Records one measured round trip. */
    public void sample(long roundTripMicros) {
        long rtt = Math.min(Math.max(0, roundTripMicros), MAX_SAMPLE_MICROS);
        if (smoothedMicros < 0) {
            smoothedMicros = rtt;
            deviationMicros = rtt / 2;
        } else {
            deviationMicros = (3 * deviationMicros + Math.abs(smoothedMicros - rtt)) / 4;
            smoothedMicros = (7 * smoothedMicros + rtt) / 8;
        }
    }

    public boolean hasSamples() {
        return smoothedMicros >= 0;
    }

    /** The smoothed round trip in microseconds, or -1 before the first sample. */
    public long smoothedMicros() {
        return smoothedMicros;
    }

    /** The timeout to use for the next request, within the parameters' bounds. */
    public long timeoutMillis(KademliaParameters parameters) {
        if (smoothedMicros < 0) {
            return parameters.initialTimeoutMillis();
        }
        long millis = (smoothedMicros + 4 * deviationMicros) / 1_000 + 1;
        return Math.max(parameters.minTimeoutMillis(), Math.min(parameters.maxTimeoutMillis(), millis));
    }
}
