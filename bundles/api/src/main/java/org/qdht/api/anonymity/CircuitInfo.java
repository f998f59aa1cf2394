package org.qdht.api.anonymity;

import java.time.Instant;

/**
 * A snapshot of one onion circuit, for operators and tests. It names no relay: relays are not
 * shown outside the onion provider. Immutable and thread safe.
 *
 * @param id      the provider's identifier of the circuit, unique on this node, for logs
 * @param hops    number of relays, at least {@link AnonymousDht#MIN_HOPS}
 * @param created when the circuit was built
 * @param expires when the circuit is torn down (at the latest when its onion keys' epoch ends)
 */
public record CircuitInfo(long id, int hops, Instant created, Instant expires) {

    /** @throws IllegalArgumentException for null times, too few hops, or an expiry not after creation */
    public CircuitInfo {
        if (created == null || expires == null) {
            throw new IllegalArgumentException("circuit times must not be null");
        }
        if (hops < AnonymousDht.MIN_HOPS) {
            throw new IllegalArgumentException("a circuit has at least " + AnonymousDht.MIN_HOPS + " hops, got " + hops);
        }
        if (!expires.isAfter(created)) {
            throw new IllegalArgumentException("circuit must expire after it was created");
        }
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expires);
    }
}
