package org.qdht.kademlia.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.qdht.api.KeyId;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtException.Reason;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.RecordStore;

/**
 * A {@link RecordStore} in memory that follows the interface's rules: bounded by its limits,
 * refuses stale versions, expired records and keys held by another publisher's unexpired record,
 * stores a bare {@link Record} only under a publisher key it already knows. Thread safe (one lock).
 */
final class InMemoryRecordStore implements RecordStore {
    private final Limits limits;
    private final LongSupplier clock;
    private final Map<DhtKey, PublishedRecord> records = new LinkedHashMap<>();
    private final Map<KeyId, PublishedRecord> knownKeys = new HashMap<>();
    private boolean closed;

    InMemoryRecordStore(Limits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public synchronized void store(Record record) throws DhtException {
        checkOpen();
        PublishedRecord known = knownKeys.get(record.keyId());
        if (known == null) {
            throw new DhtException(Reason.REJECTED, "publisher key " + record.keyId().toHex() + " is unknown to this store");
        }
        PublishedRecord published;
        try {
            published = new PublishedRecord(record, known.publisherKey(), known.puzzleNonce());
        } catch (IllegalArgumentException e) {
            throw new DhtException(Reason.REJECTED, e.getMessage());
        }
        put(published);
    }

    @Override
    public synchronized void store(PublishedRecord record) throws DhtException {
        checkOpen();
        put(record);
    }

    private void put(PublishedRecord published) throws DhtException {
        Record record = published.record();
        long now = clock.getAsLong();
        if (record.isExpired(now)) {
            throw new DhtException(Reason.EXPIRED, "record expired");
        }
        if (record.valueSize() > limits.maxValueBytes()) {
            throw new DhtException(Reason.STORE_FULL, "value of " + record.valueSize() + " bytes, maximum " + limits.maxValueBytes());
        }
        PublishedRecord held = records.get(record.key());
        if (held != null && held.record().isExpired(now)) {
            records.remove(record.key());
            held = null;
        }
        if (held != null) {
            if (!held.record().publisher().equals(record.publisher())) {
                throw new DhtException(Reason.REJECTED, "the key is held by another publisher");
            }
            if (held.record().equals(record)) {
                return;
            }
            if (record.version() <= held.record().version()) {
                throw new DhtException(Reason.STALE_VERSION, "version " + record.version() + " is not newer than " + held.record().version());
            }
        } else {
            expire(now);
            if (records.size() >= limits.maxRecords()) {
                throw new DhtException(Reason.STORE_FULL, "store is full");
            }
            long byPublisher = records.values().stream().filter(r -> r.record().publisher().equals(record.publisher())).count();
            if (byPublisher >= limits.maxRecordsPerPublisher()) {
                throw new DhtException(Reason.STORE_FULL, "publisher holds its share");
            }
        }
        records.put(record.key(), published);
        knownKeys.put(record.keyId(), published);
    }

    @Override
    public synchronized Optional<PublishedRecord> findPublished(DhtKey key) {
        PublishedRecord held = records.get(key);
        return held == null || held.record().isExpired(clock.getAsLong()) ? Optional.empty() : Optional.of(held);
    }

    @Override
    public synchronized List<PublishedRecord> allPublished() {
        long now = clock.getAsLong();
        List<PublishedRecord> out = new ArrayList<>();
        for (PublishedRecord r : records.values()) {
            if (!r.record().isExpired(now)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean delete(DhtKey key) {
        return records.remove(key) != null;
    }

    @Override
    public Optional<Record> find(DhtKey key) {
        return findPublished(key).map(PublishedRecord::record);
    }

    @Override
    public List<Record> all() {
        return allPublished().stream().map(PublishedRecord::record).toList();
    }

    @Override
    public synchronized int expire(long nowMillis) {
        int before = records.size();
        records.values().removeIf(r -> r.record().isExpired(nowMillis));
        return before - records.size();
    }

    @Override
    public synchronized int size() {
        return records.size();
    }

    synchronized void close() {
        closed = true;
        records.clear();
    }

    private void checkOpen() throws DhtException {
        if (closed) {
            throw new DhtException(Reason.CLOSED, "store is closed");
        }
    }
}
