package org.qdht.kademlia.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.RecordStore;
import org.qdht.crypto.bc.Suites;

class MemoryRecordStoreTest {
    private static final CryptoSuite SUITE = Suites.xwingMlDsa65(new SecureRandom());
    private static final long NOW = Scheduler.START_EPOCH_MILLIS;
    private static final DhtKey KEY = DhtKey.ofName("simulated");

    private final PublisherIdentity alice = identity(1);
    private final PublisherIdentity mallory = identity(2);
    private long now = NOW;
    private final MemoryRecordStore store = new MemoryRecordStore(new RecordStore.Limits(2, 1_024, 2), () -> now);

    private static PublisherIdentity identity(int seed) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) seed);
        return new PublisherIdentity(SUITE, s, 4);
    }

    private PublishedRecord record(PublisherIdentity who, DhtKey key, long version) {
        return who.sign(key, new byte[] {(byte) version}, version, NOW + 60_000);
    }

    private PublishedRecord lateRecord(PublisherIdentity who, DhtKey key, long version) {
        return who.sign(key, new byte[] {(byte) version}, version, NOW + 120_000);
    }

    @Test
    void aKeyBelongsToItsFirstPublisherUntilItsRecordExpires() throws DhtException {
        store.store(record(alice, KEY, 1));
        DhtException e = assertThrows(DhtException.class, () -> store.store(record(mallory, KEY, 99)));
        assertEquals(DhtException.Reason.REJECTED, e.reason());
        now = NOW + 60_000;
        store.store(lateRecord(mallory, KEY, 99));
        assertEquals(mallory.nodeId(), store.find(KEY).orElseThrow().publisher());
    }

    @Test
    void onlyAHigherVersionReplacesAndTheSameRecordAgainIsAccepted() throws DhtException {
        PublishedRecord v2 = record(alice, KEY, 2);
        store.store(v2);
        store.store(v2);
        assertEquals(DhtException.Reason.STALE_VERSION, assertThrows(DhtException.class, () -> store.store(record(alice, KEY, 2))).reason());
        assertEquals(DhtException.Reason.STALE_VERSION, assertThrows(DhtException.class, () -> store.store(record(alice, KEY, 1))).reason());
        store.store(record(alice, KEY, 3));
        assertEquals(3, store.find(KEY).orElseThrow().version());
        assertEquals(1, store.size());
    }

    @Test
    void limitsBoundWhatAPeerCanMakeItKeep() throws DhtException {
        store.store(record(alice, DhtKey.ofName("a"), 1));
        store.store(record(alice, DhtKey.ofName("b"), 1));
        assertEquals(DhtException.Reason.STORE_FULL,
                assertThrows(DhtException.class, () -> store.store(record(mallory, DhtKey.ofName("c"), 1))).reason());
        assertTrue(store.findPublished(DhtKey.ofName("c")).isEmpty());
        now = NOW + 60_000;
        assertTrue(store.allPublished().isEmpty(), "expired records are not returned");
        assertEquals(2, store.expire(now));
    }

    @Test
    void aBareRecordIsKeptOnlyWhenItsPublisherKeyIsKnown() throws DhtException {
        assertEquals(DhtException.Reason.REJECTED,
                assertThrows(DhtException.class, () -> store.store(record(alice, KEY, 1).record())).reason());
        store.store(record(alice, KEY, 1));
        store.store(record(alice, KEY, 2).record());
        assertEquals(2, store.find(KEY).orElseThrow().version());
    }
}
