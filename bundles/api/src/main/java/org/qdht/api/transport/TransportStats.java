package org.qdht.api.transport;

import java.util.Map;

/**
 * Counters of one transport since it started, for operators and tests. Immutable and thread safe.
 *
 * @param datagramsIn  datagrams received and delivered to handlers
 * @param datagramsOut datagrams handed to the link by {@link Transport#send}
 * @param bytesIn      bytes received, datagrams and streams together, without transport framing
 * @param bytesOut     bytes sent, datagrams and streams together, without transport framing
 * @param rejected     inbound or outbound traffic dropped, counted by reason (for example
 *                     {@code "too-large"}, {@code "rate-limited"}, {@code "no-handler"}); reasons
 *                     are the transport's own short names
 */
public record TransportStats(long datagramsIn, long datagramsOut, long bytesIn, long bytesOut,
        Map<String, Long> rejected) {

    /** No traffic yet. */
    public static final TransportStats EMPTY = new TransportStats(0, 0, 0, 0, Map.of());

    /** @throws IllegalArgumentException for a negative counter, a null map, or a null or blank reason */
    public TransportStats {
        if (datagramsIn < 0 || datagramsOut < 0 || bytesIn < 0 || bytesOut < 0) {
            throw new IllegalArgumentException("transport counters must not be negative");
        }
        if (rejected == null) {
            throw new IllegalArgumentException("rejected counts must not be null (use an empty map)");
        }
        for (Map.Entry<String, Long> e : rejected.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("rejected counts need a reason name and a count >= 0, got "
                        + e.getKey() + "=" + e.getValue());
            }
        }
        rejected = Map.copyOf(rejected);
    }

    /** Sum of {@link #rejected()} over every reason. */
    public long totalRejected() {
        long sum = 0;
        for (long n : rejected.values()) {
            sum += n;
        }
        return sum;
    }
}
