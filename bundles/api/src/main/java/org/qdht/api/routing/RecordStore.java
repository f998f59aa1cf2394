package org.qdht.api.routing;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The records one node keeps for the network, persisted in the node's data area. It belongs to the
 * node, not to a routing provider, so that a provider can be stopped and another started without
 * losing what was stored. Bounded: every limit is part of {@link #limits()} and a full store refuses
 * with {@link DhtException.Reason#STORE_FULL}. Thread safe.
 */
@ProviderType
public interface RecordStore {
    /** The limits this store enforces. */
    Limits limits();

    /**
     * Keeps {@code record} unless a newer version is already stored. The record must already be
     * verified by the caller.
     *
     * @throws DhtException {@code STALE_VERSION}, {@code EXPIRED}, {@code STORE_FULL} or {@code CLOSED}
     */
    void store(Record record) throws DhtException;

    /** The newest unexpired record for {@code key}, if stored (tombstones included). */
    Optional<Record> find(DhtKey key);

    /** Every unexpired record, for republishing; a snapshot. */
    List<Record> all();

    /** Drops expired records and returns how many were dropped. */
    int expire(long nowMillis);

    /** Number of records held. */
    int size();

    /** Limits of a record store. */
    final class Limits {
        private final int maxRecords;
        private final int maxValueBytes;
        private final int maxRecordsPerPublisher;

        public Limits(int maxRecords, int maxValueBytes, int maxRecordsPerPublisher) {
            if (maxRecords <= 0 || maxValueBytes < 0 || maxValueBytes > Record.MAX_VALUE_SIZE || maxRecordsPerPublisher <= 0) {
                throw new IllegalArgumentException("record store limits must be positive and values at most "
                        + Record.MAX_VALUE_SIZE + " bytes");
            }
            this.maxRecords = maxRecords;
            this.maxValueBytes = maxValueBytes;
            this.maxRecordsPerPublisher = maxRecordsPerPublisher;
        }

        public int maxRecords() {
            return maxRecords;
        }

        public int maxValueBytes() {
            return maxValueBytes;
        }

        public int maxRecordsPerPublisher() {
            return maxRecordsPerPublisher;
        }
    }
}
