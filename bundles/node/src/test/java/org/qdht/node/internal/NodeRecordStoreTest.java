package org.qdht.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtException.Reason;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.RecordStore;
import org.qdht.node.internal.TestRecords.Publisher;
import org.qdht.node.internal.TestRecords.TestClock;

class NodeRecordStoreTest {
    static final long NOW = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final RecordStore.Limits DEFAULTS = new RecordStore.Limits(10_000, 65_536, 256);

    @TempDir
    Path data;

    final TestClock clock = new TestClock(NOW);
    final List<String> warnings = new ArrayList<>();
    final Publisher alice = Publisher.random();
    final Publisher bob = Publisher.random();
    final List<NodeRecordStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(NodeRecordStore::close);
    }

    NodeRecordStore open(RecordStore.Limits limits) throws Exception {
        NodeRecordStore store = NodeRecordStore.open(data.resolve(RecordFiles.DIRECTORY), "alpha", limits, clock, warnings::add);
        opened.add(store);
        return store;
    }

    @Test
    void storedRecordIsFoundWithItsPublisherKey() throws Exception {
        NodeRecordStore store = open(DEFAULTS);
        DhtKey key = TestRecords.randomKey();
        PublishedRecord published = alice.published(key, 1, NOW + HOUR, "hello".getBytes());
        store.store(published);
        assertEquals(Optional.of(published.record()), store.find(key));
        assertEquals(alice.key(), store.findPublished(key).orElseThrow().publisherKey());
        assertEquals(List.of(published.record()), store.all());
        assertEquals(1, store.allPublished().size());
        assertEquals(1, store.size());
        assertTrue(store.find(TestRecords.randomKey()).isEmpty());
        assertTrue(Files.isRegularFile(data.resolve(RecordFiles.DIRECTORY).resolve(key.toHex() + RecordFiles.SUFFIX)));
    }

    @Test
    void higherVersionReplacesEqualOrLowerIsStaleAndRepublishingIsANoOp() throws Exception {
        NodeRecordStore store = open(DEFAULTS);
        DhtKey key = TestRecords.randomKey();
        store.store(alice.published(key, 1, NOW + HOUR, "one".getBytes()));
        PublishedRecord two = alice.published(key, 2, NOW + HOUR, "two".getBytes());
        store.store(two);
        assertEquals(2, store.find(key).orElseThrow().version());

        store.store(alice.published(key, 2, NOW + HOUR, "two".getBytes())); // the same record again: accepted
        assertEquals(two.record(), store.find(key).orElseThrow());

        assertReason(Reason.STALE_VERSION, () -> store.store(alice.published(key, 2, NOW + HOUR, "other".getBytes())));
        DhtException older = assertReason(Reason.STALE_VERSION, () -> store.store(alice.published(key, 1, NOW + HOUR, "one".getBytes())));
        assertTrue(older.getMessage().contains("stored version 2"), older.getMessage());
        assertEquals(1, store.size());
    }

    @Test
    void anotherPublisherIsRefusedWhileTheRecordLives() throws Exception {
        NodeRecordStore store = open(DEFAULTS);
        DhtKey key = TestRecords.randomKey();
        store.store(alice.published(key, 1, NOW + HOUR, "mine".getBytes()));
        DhtException e = assertReason(Reason.REJECTED, () -> store.store(bob.published(key, 9, NOW + HOUR, "theirs".getBytes())));
        assertTrue(e.getMessage().contains("held by publisher " + alice.id().toShortString()), e.getMessage());
        assertEquals(alice.id(), store.find(key).orElseThrow().publisher());

        clock.advance(HOUR);
        store.store(bob.published(key, 1, NOW + 2 * HOUR, "theirs".getBytes()));
        assertEquals(bob.id(), store.find(key).orElseThrow().publisher(), "once alice's record expired, bob may take the key");
    }

    @Test
    void expiredRecordsAreHiddenThenDroppedWithTheirFiles() throws Exception {
        NodeRecordStore store = open(DEFAULTS);
        DhtKey shortLived = TestRecords.randomKey();
        DhtKey longLived = TestRecords.randomKey();
        store.store(alice.published(shortLived, 1, NOW + 1_000, "brief".getBytes()));
        store.store(alice.published(longLived, 1, NOW + HOUR, "lasting".getBytes()));
        store.store(alice.tombstonePublished(TestRecords.randomKey(), 3, NOW + HOUR));
        assertTrue(store.find(shortLived).isPresent());

        clock.advance(1_000);
        assertTrue(store.find(shortLived).isEmpty(), "expired at its expiry time");
        assertTrue(store.findPublished(shortLived).isEmpty());
        assertEquals(2, store.all().size());
        assertEquals(3, store.size(), "held until expire() drops it");

        assertEquals(1, store.expire(clock.millis()));
        assertEquals(2, store.size());
        assertFalse(Files.exists(data.resolve(RecordFiles.DIRECTORY).resolve(RecordFiles.nameOf(shortLived))));
        assertEquals(0, store.expire(clock.millis()));

        DhtException e = assertReason(Reason.EXPIRED, () -> store.store(alice.published(TestRecords.randomKey(), 1, NOW, "late".getBytes())));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void tombstonesAreRecordsLikeOthers() throws Exception {
        NodeRecordStore store = open(DEFAULTS);
        DhtKey key = TestRecords.randomKey();
        store.store(alice.published(key, 1, NOW + HOUR, "value".getBytes()));
        store.store(alice.tombstonePublished(key, 2, NOW + HOUR));
        assertTrue(store.find(key).orElseThrow().isTombstone());
        assertReason(Reason.REJECTED, () -> store.store(bob.published(key, 5, NOW + HOUR, "grab".getBytes())));
    }

    @Test
    void eachLimitRefusesWithStoreFullNamingIt() throws Exception {
        NodeRecordStore store = open(new RecordStore.Limits(3, 10, 2));
        DhtException big = assertReason(Reason.STORE_FULL,
                () -> store.store(alice.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[11])));
        assertEquals("record value of 11 bytes exceeds maxRecordBytes=10", big.getMessage());
        store.store(alice.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[10]));

        store.store(alice.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[1]));
        DhtException perPublisher = assertReason(Reason.STORE_FULL,
                () -> store.store(alice.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[1])));
        assertTrue(perPublisher.getMessage().contains("maxRecordsPerPublisher=2"), perPublisher.getMessage());

        store.store(bob.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[1]));
        DhtException full = assertReason(Reason.STORE_FULL,
                () -> store.store(bob.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[1])));
        assertTrue(full.getMessage().contains("maxRecords=3"), full.getMessage());
        assertEquals(3, store.size());
    }

    @Test
    void replacingAHeldKeyNeedsNoRoomAndExpiredRecordsMakeRoom() throws Exception {
        NodeRecordStore store = open(new RecordStore.Limits(2, 100, 2));
        DhtKey a = TestRecords.randomKey();
        store.store(alice.published(a, 1, NOW + HOUR, new byte[1]));
        store.store(alice.published(TestRecords.randomKey(), 1, NOW + 1_000, new byte[1]));
        store.store(alice.published(a, 2, NOW + HOUR, new byte[2])); // a full store still takes a newer version
        assertReason(Reason.STORE_FULL, () -> store.store(bob.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[1])));

        clock.advance(1_000);
        store.store(bob.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[1]));
        assertEquals(2, store.size(), "the expired record gave up its place");
    }

    @Test
    void recordsSurviveCloseAndReopen() throws Exception {
        NodeRecordStore first = open(DEFAULTS);
        List<PublishedRecord> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PublishedRecord p = (i % 2 == 0 ? alice : bob).published(TestRecords.randomKey(), i + 1, NOW + HOUR, ("v" + i).getBytes());
            first.store(p);
            stored.add(p);
        }
        PublishedRecord tombstone = alice.tombstonePublished(TestRecords.randomKey(), 7, NOW + HOUR);
        first.store(tombstone);
        stored.add(tombstone);
        first.close();

        NodeRecordStore second = open(DEFAULTS);
        assertEquals(stored.size(), second.size());
        assertEquals(new HashSet<>(stored), new HashSet<>(second.allPublished()));
        assertTrue(warnings.isEmpty(), warnings.toString());
        // the publisher keys came back with the records: a bare record of a known key is accepted
        DhtKey key = stored.get(0).record().key();
        second.store(alice.record(key, 10, NOW + HOUR, "newer".getBytes()));
        assertArrayEquals("newer".getBytes(), second.find(key).orElseThrow().value());
    }

    @Test
    void unusableFilesAreMovedToRejectedAndTheRestIsLoaded() throws Exception {
        NodeRecordStore first = open(DEFAULTS);
        PublishedRecord good = alice.published(TestRecords.randomKey(), 1, NOW + HOUR, "good".getBytes());
        PublishedRecord soonExpired = alice.published(TestRecords.randomKey(), 1, NOW + 1_000, "brief".getBytes());
        PublishedRecord truncated = bob.published(TestRecords.randomKey(), 1, NOW + HOUR, "cut".getBytes());
        PublishedRecord moved = bob.published(TestRecords.randomKey(), 1, NOW + HOUR, "moved".getBytes());
        for (PublishedRecord p : List.of(good, soonExpired, truncated, moved)) {
            first.store(p);
        }
        first.close();
        Path dir = data.resolve(RecordFiles.DIRECTORY);
        Path truncatedFile = dir.resolve(RecordFiles.nameOf(truncated.record().key()));
        byte[] bytes = Files.readAllBytes(truncatedFile);
        Files.write(truncatedFile, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path garbage = dir.resolve(RecordFiles.nameOf(TestRecords.randomKey()));
        Files.writeString(garbage, "not a record");
        Path wrongName = dir.resolve(RecordFiles.nameOf(TestRecords.randomKey()));
        Files.move(dir.resolve(RecordFiles.nameOf(moved.record().key())), wrongName);
        Files.writeString(dir.resolve("half-written" + RecordFiles.SUFFIX + ".tmp"), "crash");
        clock.advance(1_000);

        NodeRecordStore second = open(DEFAULTS);
        assertEquals(List.of(good), second.allPublished());
        assertEquals(1, second.size());
        Set<String> rejected;
        try (Stream<Path> files = Files.list(dir.resolve(RecordFiles.REJECTED))) {
            rejected = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(Set.of(truncatedFile.getFileName().toString(), garbage.getFileName().toString(),
                wrongName.getFileName().toString(), RecordFiles.nameOf(soonExpired.record().key())), rejected);
        assertEquals(4, warnings.size(), "three damaged files one by one, the expired one in a summary: " + warnings);
        assertTrue(warnings.stream().anyMatch(w -> w.contains(garbage.getFileName().toString()) && w.contains("rejected")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("1 record file(s)") && w.contains("expired")), warnings.toString());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "a leftover temporary file is removed");
        }

        warnings.clear();
        second.close();
        open(DEFAULTS);
        assertTrue(warnings.isEmpty(), "set-aside files are reported once, not at every start: " + warnings);
    }

    @Test
    void deleteRemovesTheRecordAndItsFile() throws Exception {
        NodeRecordStore store = open(DEFAULTS);
        DhtKey key = TestRecords.randomKey();
        store.store(alice.published(key, 1, NOW + HOUR, "x".getBytes()));
        assertTrue(store.delete(key));
        assertFalse(store.delete(key));
        assertTrue(store.find(key).isEmpty());
        assertFalse(Files.exists(data.resolve(RecordFiles.DIRECTORY).resolve(RecordFiles.nameOf(key))));
        store.store(bob.published(key, 1, NOW + HOUR, "y".getBytes())); // the key is free for anyone again
        store.close();
        assertEquals(bob.id(), open(DEFAULTS).find(key).orElseThrow().publisher());
    }

    @Test
    void bareRecordNeedsAPublisherKeyTheStoreKnows() throws Exception {
        NodeRecordStore store = open(DEFAULTS);
        DhtKey first = TestRecords.randomKey();
        DhtException unknown = assertReason(Reason.REJECTED, () -> store.store(alice.record(first, 1, NOW + HOUR, "x".getBytes())));
        assertTrue(unknown.getMessage().contains(alice.key().keyId().toHex()), unknown.getMessage());

        store.store(alice.published(first, 1, NOW + HOUR, "x".getBytes()));
        DhtKey second = TestRecords.randomKey();
        store.store(alice.record(second, 1, NOW + HOUR, "y".getBytes()));
        assertEquals(alice.key(), store.findPublished(second).orElseThrow().publisherKey());

        // bob's record naming alice's key id cannot borrow her key
        Record forged = TestRecords.sign(Record.unsigned(TestRecords.randomKey(), new byte[1], 1, NOW + HOUR, bob.id(),
                TestRecords.SUITE, alice.key().keyId(), false));
        assertReason(Reason.REJECTED, () -> store.store(forged));

        // the key is forgotten with the last record that carries it
        store.delete(first);
        store.delete(second);
        assertReason(Reason.REJECTED, () -> store.store(alice.record(TestRecords.randomKey(), 1, NOW + HOUR, "z".getBytes())));
    }

    @Test
    void everyCallFailsWithClosedAfterClose() throws Exception {
        NodeRecordStore store = open(DEFAULTS);
        DhtKey key = TestRecords.randomKey();
        PublishedRecord p = alice.published(key, 1, NOW + HOUR, "x".getBytes());
        store.store(p);
        store.close();
        assertReason(Reason.CLOSED, () -> store.store(p));
        assertReason(Reason.CLOSED, () -> store.store(p.record()));
        for (Executable call : List.<Executable>of(() -> store.find(key), () -> store.findPublished(key), store::all,
                store::allPublished, () -> store.delete(key), () -> store.expire(NOW), store::size, store::limits)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals(Reason.CLOSED, assertInstanceOf(DhtException.class, e.getCause()).reason());
        }
        assertTrue(Files.exists(data.resolve(RecordFiles.DIRECTORY).resolve(RecordFiles.nameOf(key))), "closing keeps the files");
    }

    @Test
    void lowerLimitsKeepWhatIsHeldAndRefuseNewKeys() throws Exception {
        NodeRecordStore store = open(DEFAULTS);
        store.store(alice.published(TestRecords.randomKey(), 1, NOW + HOUR, "a".getBytes()));
        store.store(bob.published(TestRecords.randomKey(), 1, NOW + HOUR, "b".getBytes()));
        store.limits(new RecordStore.Limits(1, 100, 10));
        assertEquals(2, store.size());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("maxRecords=1")), warnings.toString());
        assertReason(Reason.STORE_FULL, () -> store.store(bob.published(TestRecords.randomKey(), 1, NOW + HOUR, "c".getBytes())));
    }

    @Test
    void tenThousandRecordsLoadQuickly() throws Exception {
        RecordStore.Limits roomy = new RecordStore.Limits(10_000, 65_536, 10_000);
        NodeRecordStore first = open(roomy);
        for (int i = 0; i < 10_000; i++) {
            first.store(alice.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[64]));
        }
        first.close();
        long start = System.nanoTime();
        NodeRecordStore second = open(roomy);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(10_000, second.size());
        System.out.println("loaded 10,000 records in " + millis + " ms");
        assertTrue(millis < 10_000, "loading 10,000 records took " + millis + " ms");
        assertReason(Reason.STORE_FULL, () -> second.store(bob.published(TestRecords.randomKey(), 1, NOW + HOUR, new byte[1])));
        clock.advance(HOUR);
        assertEquals(10_000, second.expire(clock.millis()));
        assertEquals(0, second.size());
    }

    @Test
    void concurrentStoresAndLookupsKeepTheCountsRight() throws Exception {
        NodeRecordStore store = open(new RecordStore.Limits(10_000, 1_024, 100));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Publisher publisher = Publisher.random();
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 120; i++) {
                        DhtKey key = TestRecords.randomKey();
                        try {
                            store.store(publisher.published(key, 1, NOW + HOUR, new byte[16]));
                            assertTrue(store.find(key).isPresent());
                        } catch (DhtException e) {
                            assertEquals(Reason.STORE_FULL, e.reason(), e.getMessage());
                        }
                        store.all();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(800, store.size(), "100 per publisher, the other 20 each refused");
        store.close();
        assertEquals(800, open(DEFAULTS).size());
    }

    static DhtException assertReason(Reason reason, Executable call) {
        DhtException e = assertThrows(DhtException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }
}
