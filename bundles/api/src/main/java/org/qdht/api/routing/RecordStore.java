package org.qdht.api.routing;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The records one node keeps for the network, persisted in the node's data area. It belongs to the
 * node, not to a routing provider, so that a provider can be stopped and another started without
 * losing what was stored. Bounded: every limit is part of {@link #limits()} and a full store refuses
 * with {@link DhtException.Reason#STORE_FULL}. Registered by the node bundle per node with the
 * service property {@value #NODE_PROPERTY}. Thread safe.
 */
@ProviderType
public interface RecordStore {
    /**
     * Service property: the name of the node whose records these are.
     *
     * @since 1.1
     */
    String NODE_PROPERTY = "qdht.node.name";

    /** The limits this store enforces. */
    Limits limits();

    /**
     * Keeps {@code record} unless a newer version is already stored. The record must already be
     * verified by the caller. The store must already know the publisher's key (from an earlier
     * {@link #store(PublishedRecord)} with the same key id); records travel between nodes as
     * {@link PublishedRecord}s, so providers call that method instead.
     *
     * @throws DhtException {@code STALE_VERSION}, {@code EXPIRED}, {@code STORE_FULL}, {@code CLOSED},
     *         or {@code REJECTED} when the publisher's key is unknown to the store or another
     *         publisher holds the key
     */
    void store(Record record) throws DhtException;

    /**
     * Keeps {@code record} with its publisher's key, unless a newer version is already stored. The
     * record must already be verified by the caller (signature and puzzle). A key already held by
     * another publisher's unexpired record is refused: the first publisher keeps it until its
     * record expires or it publishes a tombstone that expires.
     *
     * @throws DhtException {@code STALE_VERSION}, {@code EXPIRED}, {@code STORE_FULL}, {@code CLOSED},
     *         or {@code REJECTED} when another publisher holds the key
     * @since 1.1
     */
    void store(PublishedRecord record) throws DhtException;

    /**
     * The newest unexpired record for {@code key} with its publisher's key, for answering other
     * nodes (tombstones included).
     *
     * @since 1.1
     */
    Optional<PublishedRecord> findPublished(DhtKey key);

    /**
     * Every unexpired record with its publisher's key, for republishing; a snapshot.
     *
     * @since 1.1
     */
    List<PublishedRecord> allPublished();

    /**
     * Removes the record for {@code key}, whoever published it; for operators. Returns whether one
     * was held.
     *
     * @since 1.1
     */
    boolean delete(DhtKey key);

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
