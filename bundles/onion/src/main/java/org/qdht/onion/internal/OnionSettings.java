package org.qdht.onion.internal;

import java.util.List;

/**
 * The checked settings of {@link OnionConfiguration}. Immutable.
 *
 * @param nodes                 names of the nodes served, empty for all
 * @param hops                  relays per circuit
 * @param epochMillis           onion key epoch
 * @param circuitMillis         circuit lifetime
 * @param operationTimeoutMillis time an anonymous operation may take
 * @param replayCacheEntries    replay tags kept per epoch
 * @param relayInClientMode     whether client-mode nodes relay
 * @param directoryRefreshMillis how often relays are looked for
 * @param minPublisherPuzzleDifficulty puzzle bits a returned record's publisher must show
 * @param mailboxEpochMillis    how often mailbox addresses change
 */
record OnionSettings(List<String> nodes, int hops, long epochMillis, long circuitMillis, long operationTimeoutMillis,
        int replayCacheEntries, boolean relayInClientMode, long directoryRefreshMillis, int minPublisherPuzzleDifficulty, long mailboxEpochMillis) {
    static final int MIN_HOPS = 3;
    static final int MAX_HOPS = 5;

    /** @throws IllegalArgumentException naming the setting that is out of range */
    static OnionSettings of(OnionConfiguration c) {
        if (c.hops() < MIN_HOPS || c.hops() > MAX_HOPS) {
            throw new IllegalArgumentException("hops must be " + MIN_HOPS + "-" + MAX_HOPS + ", got " + c.hops());
        }
        if (c.epochSeconds() < 2) {
            throw new IllegalArgumentException("epochSeconds must be at least 2, got " + c.epochSeconds());
        }
        if (c.circuitSeconds() < 1 || c.operationTimeoutSeconds() < 1 || c.directoryRefreshSeconds() < 1) {
            throw new IllegalArgumentException("circuitSeconds, operationTimeoutSeconds and directoryRefreshSeconds must be positive");
        }
        if (c.replayCacheEntries() < 1_000) {
            throw new IllegalArgumentException("replayCacheEntries must be at least 1000, got " + c.replayCacheEntries());
        }
        if (c.mailboxEpochSeconds() < 60) {
            throw new IllegalArgumentException("mailboxEpochSeconds must be at least 60, got " + c.mailboxEpochSeconds());
        }
        if (c.minPublisherPuzzleDifficulty() < 0 || c.minPublisherPuzzleDifficulty() > 40) {
            throw new IllegalArgumentException("minPublisherPuzzleDifficulty must be 0-40, got " + c.minPublisherPuzzleDifficulty());
        }
        return new OnionSettings(List.of(c.nodes()), c.hops(), c.epochSeconds() * 1_000, c.circuitSeconds() * 1_000,
                c.operationTimeoutSeconds() * 1_000, c.replayCacheEntries(), c.relayInClientMode(), c.directoryRefreshSeconds() * 1_000,
                c.minPublisherPuzzleDifficulty(), c.mailboxEpochSeconds() * 1_000);
    }

    boolean serves(String node) {
        return nodes.isEmpty() || nodes.contains(node);
    }

    /** The epoch that contains {@code millis}. */
    long epochAt(long millis) {
        return millis / epochMillis;
    }

    /** When {@code epoch} ends. */
    long epochEnd(long epoch) {
        return (epoch + 1) * epochMillis;
    }
}
