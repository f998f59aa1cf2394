package org.qdht.node.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtException.Reason;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.RecordStore;

/**
 * The records one node keeps for the network: one record per key, in memory for lookups and in
 * {@link RecordFiles} so they survive restarts and the replacement of the routing provider. It
 * enforces the rules of {@link RecordStore}: a key belongs to the publisher of its unexpired record,
 * a publisher replaces its record only with a higher version, and the node's limits bound what a
 * peer can make it keep. Signatures are not checked here: callers verify before they store.
 *
 * <p>Thread safe: reads share a read lock, changes (rare next to lookups) take the write lock, and
 * a change reaches the disk before it is visible, so a failed write changes nothing. After
 * {@link #close()} every method fails with {@link Reason#CLOSED}; methods that cannot throw a
 * {@link DhtException} throw an {@link IllegalStateException} caused by one.
 */
final class NodeRecordStore implements RecordStore, AutoCloseable {
    /** Orders records by expiry, so expired ones are found without scanning the store. */
    private record Expiry(long atMillis, DhtKey key) implements Comparable<Expiry> {
        @Override
        public int compareTo(Expiry o) {
            int byTime = Long.compare(atMillis, o.atMillis);
            return byTime != 0 ? byTime : key.asNodeId().compareTo(o.key.asNodeId());
        }
    }

    private final String nodeName;
    private final RecordFiles files;
    private final Clock clock;
    private final Consumer<String> warn;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final Map<DhtKey, PublishedRecord> records = new HashMap<>();
    private final NavigableSet<Expiry> byExpiry = new TreeSet<>();
    private final Map<NodeId, Integer> perPublisher = new HashMap<>();
    private final PublisherKeys keys = new PublisherKeys();
    private volatile Limits limits;
    private volatile boolean closed;

    private NodeRecordStore(String nodeName, RecordFiles files, Limits limits, Clock clock, Consumer<String> warn) {
        this.nodeName = nodeName;
        this.files = files;
        this.limits = limits;
        this.clock = clock;
        this.warn = warn;
    }

    /**
     * Opens the store of node {@code nodeName} in {@code directory} (created if needed) and loads its
     * records; unusable files are set aside and reported through {@code warn}.
     */
    static NodeRecordStore open(Path directory, String nodeName, Limits limits, Clock clock, Consumer<String> warn)
            throws IOException {
        RecordFiles files = new RecordFiles(directory);
        NodeRecordStore store = new NodeRecordStore(nodeName, files, limits, clock, warn);
        for (PublishedRecord record : files.load(clock.millis(), warn).records()) {
            store.remember(record);
        }
        store.warnIfOverLimit();
        return store;
    }

    Path directory() {
        return files.directory();
    }

    @Override
    public Limits limits() {
        checkOpen();
        return limits;
    }

    /** New limits from a changed configuration; records already held stay even if they exceed them. */
    void limits(Limits next) {
        Lock w = lock.writeLock();
        w.lock();
        try {
            checkOpen();
            limits = next;
            warnIfOverLimit();
        } finally {
            w.unlock();
        }
    }

    @Override
    public void store(Record record) throws DhtException {
        Lock w = lock.writeLock();
        w.lock();
        try {
            checkStoreOpen();
            Optional<PublishedRecord> published;
            try {
                published = keys.publish(record);
            } catch (IllegalArgumentException e) {
                throw new DhtException(Reason.REJECTED, describe(record) + " refused: " + e.getMessage());
            }
            if (published.isEmpty()) {
                throw new DhtException(Reason.REJECTED, describe(record) + " refused: its publisher key "
                        + record.keyId().toHex() + " is unknown to this store; store it as a PublishedRecord first");
            }
            put(published.get());
        } finally {
            w.unlock();
        }
    }

    @Override
    public void store(PublishedRecord record) throws DhtException {
        Lock w = lock.writeLock();
        w.lock();
        try {
            checkStoreOpen();
            put(record);
        } finally {
            w.unlock();
        }
    }

    @Override
    public Optional<PublishedRecord> findPublished(DhtKey key) {
        Lock r = lock.readLock();
        r.lock();
        try {
            checkOpen();
            PublishedRecord held = records.get(key);
            return held == null || held.record().isExpired(clock.millis()) ? Optional.empty() : Optional.of(held);
        } finally {
            r.unlock();
        }
    }

    @Override
    public Optional<Record> find(DhtKey key) {
        return findPublished(key).map(PublishedRecord::record);
    }

    @Override
    public List<PublishedRecord> allPublished() {
        Lock r = lock.readLock();
        r.lock();
        try {
            checkOpen();
            long now = clock.millis();
            List<PublishedRecord> all = new ArrayList<>(records.size());
            for (PublishedRecord held : records.values()) {
                if (!held.record().isExpired(now)) {
                    all.add(held);
                }
            }
            return all;
        } finally {
            r.unlock();
        }
    }

    @Override
    public List<Record> all() {
        return allPublished().stream().map(PublishedRecord::record).toList();
    }

    @Override
    public boolean delete(DhtKey key) {
        Lock w = lock.writeLock();
        w.lock();
        try {
            checkOpen();
            PublishedRecord held = records.get(key);
            if (held == null) {
                return false;
            }
            drop(held);
            return true;
        } finally {
            w.unlock();
        }
    }

    @Override
    public int expire(long nowMillis) {
        Lock w = lock.writeLock();
        w.lock();
        try {
            checkOpen();
            return dropExpired(nowMillis);
        } finally {
            w.unlock();
        }
    }

    /** Records held, including expired ones not yet dropped by {@link #expire}. */
    @Override
    public int size() {
        Lock r = lock.readLock();
        r.lock();
        try {
            checkOpen();
            return records.size();
        } finally {
            r.unlock();
        }
    }

    /** Closes the store; its files stay for the next {@link #open}. */
    @Override
    public void close() {
        Lock w = lock.writeLock();
        w.lock();
        try {
            closed = true;
            records.clear();
            byExpiry.clear();
            perPublisher.clear();
            keys.clear();
        } finally {
            w.unlock();
        }
    }

    /** The store's rules, under the write lock. The file is written before memory changes, so a failed write changes nothing. */
    private void put(PublishedRecord published) throws DhtException {
        Record record = published.record();
        long now = clock.millis();
        if (record.isExpired(now)) {
            throw new DhtException(Reason.EXPIRED, describe(record) + " expired at " + Instant.ofEpochMilli(record.expiresAtMillis()));
        }
        Limits l = limits;
        if (record.valueSize() > l.maxValueBytes()) {
            throw new DhtException(Reason.STORE_FULL, "record value of " + record.valueSize() + " bytes exceeds maxRecordBytes="
                    + l.maxValueBytes());
        }
        PublishedRecord held = records.get(record.key());
        if (held != null && held.record().isExpired(now)) {
            drop(held);
            held = null;
        }
        if (held != null) {
            Record old = held.record();
            if (!old.publisher().equals(record.publisher())) {
                throw new DhtException(Reason.REJECTED, "key " + shortHex(record.key()) + " is held by publisher "
                        + old.publisher().toShortString() + " until " + Instant.ofEpochMilli(old.expiresAtMillis())
                        + "; a record of publisher " + record.publisher().toShortString() + " is refused until then");
            }
            if (old.equals(record)) {
                return; // the publisher republishing what is stored: nothing to do, and not an error
            }
            if (record.version() <= old.version()) {
                throw new DhtException(Reason.STALE_VERSION, describe(record) + " is not newer than the stored version "
                        + old.version());
            }
        } else {
            if (isFull(record, l)) {
                dropExpired(now); // expired records should not keep out live ones
            }
            if (records.size() >= l.maxRecords()) {
                throw new DhtException(Reason.STORE_FULL, "record store of node '" + nodeName + "' is full: maxRecords="
                        + l.maxRecords());
            }
            if (perPublisher.getOrDefault(record.publisher(), 0) >= l.maxRecordsPerPublisher()) {
                throw new DhtException(Reason.STORE_FULL, "publisher " + record.publisher().toShortString()
                        + " already holds maxRecordsPerPublisher=" + l.maxRecordsPerPublisher() + " records in node '"
                        + nodeName + "'");
            }
        }
        try {
            files.write(published);
        } catch (IOException e) {
            // the caller cannot tell a full disk from a full store, and reacts the same way: store elsewhere
            throw new DhtException(Reason.STORE_FULL, describe(record) + " cannot be written: " + e.getMessage(), e);
        }
        if (held != null) {
            forget(held);
        }
        remember(published);
    }

    private boolean isFull(Record record, Limits l) {
        return records.size() >= l.maxRecords() || perPublisher.getOrDefault(record.publisher(), 0) >= l.maxRecordsPerPublisher();
    }

    private int dropExpired(long nowMillis) {
        int dropped = 0;
        while (!byExpiry.isEmpty() && byExpiry.first().atMillis() <= nowMillis) {
            drop(records.get(byExpiry.first().key()));
            dropped++;
        }
        return dropped;
    }

    /** Removes {@code held} from memory and disk. */
    private void drop(PublishedRecord held) {
        forget(held);
        try {
            files.delete(held.record().key());
        } catch (IOException e) {
            warn.accept("cannot delete the file of " + describe(held.record()) + ": " + e.getMessage()
                    + " (it is loaded again at the next start unless it has expired)");
        }
    }

    private void remember(PublishedRecord published) {
        Record record = published.record();
        records.put(record.key(), published);
        byExpiry.add(new Expiry(record.expiresAtMillis(), record.key()));
        perPublisher.merge(record.publisher(), 1, Integer::sum);
        keys.add(published);
    }

    private void forget(PublishedRecord held) {
        Record record = held.record();
        records.remove(record.key());
        byExpiry.remove(new Expiry(record.expiresAtMillis(), record.key()));
        perPublisher.computeIfPresent(record.publisher(), (p, n) -> n > 1 ? n - 1 : null);
        keys.remove(held);
    }

    private void warnIfOverLimit() {
        if (records.size() > limits.maxRecords()) {
            warn.accept("holds " + records.size() + " records, more than maxRecords=" + limits.maxRecords()
                    + "; they are kept, and new keys are refused until records expire or are deleted");
        }
    }

    private void checkStoreOpen() throws DhtException {
        if (closed) {
            throw closedException();
        }
    }

    private void checkOpen() {
        if (closed) {
            DhtException e = closedException();
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private DhtException closedException() {
        return new DhtException(Reason.CLOSED, "the record store of node '" + nodeName + "' is closed");
    }

    private static String describe(Record record) {
        return "record " + shortHex(record.key()) + " v" + record.version();
    }

    static String shortHex(DhtKey key) {
        return key.toHex().substring(0, 16);
    }
}
