package org.qdht.kademlia.core;

/**
 * The numbers that shape a Kademlia node. Immutable; {@link #defaults()} gives the values of the
 * Kademlia paper and of IPFS/libp2p, which the simulator's figures are compared with.
 *
 * @param k                      bucket size and replication factor: 20 keeps a bucket alive under
 *                               churn with high probability (Maymounkov and Mazieres, section 2.2)
 * @param alpha                  requests in flight per lookup path
 * @param disjointPaths          independent lookup paths that never share a peer (S/Kademlia): a
 *                               lookup succeeds if any one path avoids the attacker's peers
 * @param replacementCacheSize   answered peers kept per full bucket, promoted when an entry fails
 * @param maxPerGroupInBucket    entries of one network group (IPv4 /24, IPv6 /48) per bucket
 * @param maxPerGroupInTable     entries of one network group in the whole table
 * @param maxFailures            consecutive failed requests after which an entry is evicted
 * @param initialTimeoutMillis   request timeout towards a peer with no measured round trips
 * @param minTimeoutMillis       lower bound of the adaptive timeout
 * @param maxTimeoutMillis       upper bound of the adaptive timeout
 */
public record KademliaParameters(int k, int alpha, int disjointPaths, int replacementCacheSize,
        int maxPerGroupInBucket, int maxPerGroupInTable, int maxFailures, long initialTimeoutMillis,
        long minTimeoutMillis, long maxTimeoutMillis) {

    /** Largest k a node accepts: a response lists at most this many peers. */
    public static final int MAX_K = 64;
    /** Largest parallelism: beyond it a lookup is a flood. */
    public static final int MAX_ALPHA = 16;
    /** Largest number of disjoint paths. */
    public static final int MAX_DISJOINT_PATHS = 8;

    /** @throws IllegalArgumentException for a value out of its range, naming it */
    public KademliaParameters {
        check("k", k, 1, MAX_K);
        check("alpha", alpha, 1, MAX_ALPHA);
        check("disjointPaths", disjointPaths, 1, MAX_DISJOINT_PATHS);
        check("replacementCacheSize", replacementCacheSize, 0, 1_000);
        check("maxPerGroupInBucket", maxPerGroupInBucket, 1, MAX_K);
        check("maxPerGroupInTable", maxPerGroupInTable, 1, 100_000);
        check("maxFailures", maxFailures, 1, 100);
        if (minTimeoutMillis < 1 || maxTimeoutMillis < minTimeoutMillis || initialTimeoutMillis < minTimeoutMillis
                || initialTimeoutMillis > maxTimeoutMillis) {
            throw new IllegalArgumentException("timeouts must satisfy 1 <= minTimeoutMillis <= initialTimeoutMillis <= maxTimeoutMillis, got "
                    + minTimeoutMillis + ", " + initialTimeoutMillis + ", " + maxTimeoutMillis);
        }
    }

    /** k=20, alpha=3, one path, 8 replacements, 2 per group per bucket, 10 per group in the table. */
    public static KademliaParameters defaults() {
        return new KademliaParameters(20, 3, 1, 8, 2, 10, 2, 2_000, 100, 10_000);
    }

    public KademliaParameters withK(int newK) {
        return new KademliaParameters(newK, alpha, disjointPaths, replacementCacheSize, maxPerGroupInBucket,
                maxPerGroupInTable, maxFailures, initialTimeoutMillis, minTimeoutMillis, maxTimeoutMillis);
    }

    public KademliaParameters withAlpha(int newAlpha) {
        return new KademliaParameters(k, newAlpha, disjointPaths, replacementCacheSize, maxPerGroupInBucket,
                maxPerGroupInTable, maxFailures, initialTimeoutMillis, minTimeoutMillis, maxTimeoutMillis);
    }

    public KademliaParameters withDisjointPaths(int paths) {
        return new KademliaParameters(k, alpha, paths, replacementCacheSize, maxPerGroupInBucket, maxPerGroupInTable,
                maxFailures, initialTimeoutMillis, minTimeoutMillis, maxTimeoutMillis);
    }

    public KademliaParameters withGroupLimits(int perBucket, int perTable) {
        return new KademliaParameters(k, alpha, disjointPaths, replacementCacheSize, perBucket, perTable, maxFailures,
                initialTimeoutMillis, minTimeoutMillis, maxTimeoutMillis);
    }

    public KademliaParameters withTimeouts(long initialMillis, long minMillis, long maxMillis) {
        return new KademliaParameters(k, alpha, disjointPaths, replacementCacheSize, maxPerGroupInBucket,
                maxPerGroupInTable, maxFailures, initialMillis, minMillis, maxMillis);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + "-" + max + ", got " + value);
        }
    }
}
