package org.qdht.kademlia.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtException.Reason;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.RecordStore;

/**
 * A simulated node's records, in memory, with the rules of {@link RecordStore}: one record per key;
 * a key belongs to the publisher of its unexpired record; that publisher replaces it only with a
 * higher version (the same record again is accepted and changes nothing); the limits bound the
 * number of records, their size and the records per publisher. Like the node bundle's store it
 * does not verify signatures: the caller (RequestHandler) checks before it stores. Single
 * threaded, as everything in a simulation.
 */
public final class MemoryRecordStore implements RecordStore {
    private final Limits limits;
    private final LongSupplier clockMillis;
    private final Map<DhtKey, PublishedRecord> records = new HashMap<>(4);
    private final Map<NodeId, Integer> perPublisher = new HashMap<>(4);

    public MemoryRecordStore(Limits limits, LongSupplier clockMillis) {
        this.limits = limits;
        this.clockMillis = clockMillis;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public void store(Record record) throws DhtException {
        // a bare record can only be kept if this store already holds its publisher's key
        for (PublishedRecord held : records.values()) {
            if (held.publisherKey().keyId().equals(record.keyId()) && held.record().publisher().equals(record.publisher())) {
                try {
                    store(new PublishedRecord(record, held.publisherKey(), held.puzzleNonce()));
                    return;
                } catch (IllegalArgumentException e) {
                    throw new DhtException(Reason.REJECTED, "record refused: " + e.getMessage());
                }
            }
        }
        throw new DhtException(Reason.REJECTED, "the publisher key " + record.keyId().toHex() + " is unknown to this store");
    }

    @Override
    public void store(PublishedRecord published) throws DhtException {
        Record record = published.record();
        long now = clockMillis.getAsLong();
        if (record.isExpired(now)) {
            throw new DhtException(Reason.EXPIRED, "record expired");
        }
        if (record.valueSize() > limits.maxValueBytes()) {
            throw new DhtException(Reason.STORE_FULL, "value of " + record.valueSize() + " bytes exceeds " + limits.maxValueBytes());
        }
        PublishedRecord held = records.get(record.key());
        if (held != null && held.record().isExpired(now)) {
            forget(held);
            held = null;
        }
        if (held != null) {
            Record old = held.record();
            if (!old.publisher().equals(record.publisher())) {
                throw new DhtException(Reason.REJECTED, "key held by publisher " + old.publisher().toShortString());
            }
            if (old.equals(record)) {
                return;
            }
            if (record.version() <= old.version()) {
                throw new DhtException(Reason.STALE_VERSION, "version " + record.version() + " is not newer than " + old.version());
            }
            forget(held);
        } else {
            if (records.size() >= limits.maxRecords()) {
                expire(now);
            }
            if (records.size() >= limits.maxRecords()) {
                throw new DhtException(Reason.STORE_FULL, "store full: maxRecords=" + limits.maxRecords());
            }
            if (perPublisher.getOrDefault(record.publisher(), 0) >= limits.maxRecordsPerPublisher()) {
                throw new DhtException(Reason.STORE_FULL, "publisher holds maxRecordsPerPublisher=" + limits.maxRecordsPerPublisher());
            }
        }
        records.put(record.key(), published);
        perPublisher.merge(record.publisher(), 1, Integer::sum);
    }

    @Override
    public Optional<PublishedRecord> findPublished(DhtKey key) {
        PublishedRecord held = records.get(key);
        return held == null || held.record().isExpired(clockMillis.getAsLong()) ? Optional.empty() : Optional.of(held);
    }

    @Override
    public List<PublishedRecord> allPublished() {
        long now = clockMillis.getAsLong();
        List<PublishedRecord> out = new ArrayList<>(records.size());
        for (PublishedRecord held : records.values()) {
            if (!held.record().isExpired(now)) {
                out.add(held);
            }
        }
        return out;
    }

    @Override
    public boolean delete(DhtKey key) {
        PublishedRecord held = records.get(key);
        if (held == null) {
            return false;
        }
        forget(held);
        return true;
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
    public int expire(long nowMillis) {
        int dropped = 0;
        Iterator<PublishedRecord> it = records.values().iterator();
        while (it.hasNext()) {
            PublishedRecord held = it.next();
            if (held.record().isExpired(nowMillis)) {
                it.remove();
                perPublisher.computeIfPresent(held.record().publisher(), (p, n) -> n > 1 ? n - 1 : null);
                dropped++;
            }
        }
        return dropped;
    }

    @Override
    public int size() {
        return records.size();
    }

    private void forget(PublishedRecord held) {
        records.remove(held.record().key());
        perPublisher.computeIfPresent(held.record().publisher(), (p, n) -> n > 1 ? n - 1 : null);
    }
}
