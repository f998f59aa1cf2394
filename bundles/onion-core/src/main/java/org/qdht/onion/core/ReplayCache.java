package org.qdht.onion.core;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * The replay tags a relay has seen, per key epoch. A replayed packet yields the same tag, so
 * dropping a second sighting stops an observer from replaying a packet to watch where it goes
 * again. Tags are kept until their epoch's onion key is retired ({@link #forgetBefore}): after
 * that no packet of that epoch can be unwrapped, and tags of forgotten epochs are refused.
 *
 * <p>Bounded: at most {@code maxEntriesPerEpoch} tags per epoch (when full, new tags are refused
 * rather than old ones dropped, since dropping would reopen the replay) and at most
 * {@value #MAX_EPOCHS} epochs (a newer one retires the oldest). Thread safe.
 */
public final class ReplayCache {
    /** Onion keys overlap for a rotation or two; eight epochs leave room for clock skew. */
    public static final int MAX_EPOCHS = 8;

    private final int maxEntriesPerEpoch;
    private final TreeMap<Long, Set<ByteBuffer>> epochs = new TreeMap<>();
    private long horizon = Long.MIN_VALUE;
    private int size;
    private long replays;
    private long rejectedFull;
    private long rejectedStale;

    public ReplayCache(int maxEntriesPerEpoch) {
        if (maxEntriesPerEpoch < 1) {
            throw new IllegalArgumentException("maxEntriesPerEpoch must be positive, got " + maxEntriesPerEpoch);
        }
        this.maxEntriesPerEpoch = maxEntriesPerEpoch;
    }

    /**
     * Records {@code tag} for {@code epoch}.
     *
     * @return true the first time; false for a replay, a full epoch or a forgotten epoch (each
     *         counted: {@link #replays()}, {@link #rejectedFull()}, {@link #rejectedStale()})
     */
    public synchronized boolean firstSeen(long epoch, byte[] tag) {
        if (tag == null || tag.length != HopKeys.REPLAY_TAG_SIZE) {
            throw new IllegalArgumentException("replay tag must be " + HopKeys.REPLAY_TAG_SIZE + " bytes");
        }
        if (epoch < horizon) {
            rejectedStale++;
            return false;
        }
        Set<ByteBuffer> seen = epochs.get(epoch);
        if (seen == null) {
            if (epochs.size() >= MAX_EPOCHS) {
                if (epoch < epochs.firstKey()) {
                    rejectedStale++;
                    return false;
                }
                forgetBefore(epochs.firstKey() + 1);
            }
            seen = new HashSet<>();
            epochs.put(epoch, seen);
        }
        ByteBuffer key = ByteBuffer.wrap(tag.clone());
        if (seen.contains(key)) {
            replays++;
            return false;
        }
        if (seen.size() >= maxEntriesPerEpoch) {
            rejectedFull++;
            return false;
        }
        seen.add(key);
        size++;
        return true;
    }

    /** Drops the tags of every epoch before {@code epoch}; tags for those epochs are refused from now on. */
    public synchronized void forgetBefore(long epoch) {
        horizon = Math.max(horizon, epoch);
        while (!epochs.isEmpty() && epochs.firstKey() < horizon) {
            size -= epochs.pollFirstEntry().getValue().size();
        }
    }

    /** Tags held, over all epochs. */
    public synchronized int size() {
        return size;
    }

    public synchronized long replays() {
        return replays;
    }

    public synchronized long rejectedFull() {
        return rejectedFull;
    }

    public synchronized long rejectedStale() {
        return rejectedStale;
    }
}
