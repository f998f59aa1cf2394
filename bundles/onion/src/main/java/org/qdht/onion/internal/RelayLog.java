package org.qdht.onion.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;

/**
 * What a relay learned from the packets it handled, for operators and tests: for each packet the
 * peer it came from and the peer it went to (none when it was delivered here). This is exactly
 * what a relay sees, so the log is the evidence that a relay learns its neighbours on the path
 * and nothing else. Keeps the last {@value #CAPACITY} entries. Thread safe.
 */
final class RelayLog {
    static final int CAPACITY = 1_000;

    /** One handled packet. */
    record Entry(Instant at, NodeId predecessor, Optional<NodeId> successor, String action) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    synchronized void add(NodeId predecessor, Optional<NodeId> successor, String action) {
        entries.addLast(new Entry(Instant.now(), predecessor, successor, action));
        if (entries.size() > CAPACITY) {
            entries.removeFirst();
        }
    }

    synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
