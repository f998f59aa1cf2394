package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.kademlia.core.TestPeers.memPeer;
import static org.qdht.kademlia.core.TestPeers.randomId;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.kademlia.core.PeerLookup.Ask;
import org.qdht.kademlia.core.RecordCheck.Verdict;
import org.qdht.kademlia.core.TestCrypto.Publisher;

class ValueLookupTest {
    static final long NOW = 1_750_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final Publisher ALICE = new Publisher();
    static final Publisher BOB = new Publisher();
    static final DhtKey KEY = DhtKey.ofName("value-lookup");

    private final Random random = new Random(9);
    private final RecordCheck check = new RecordCheck(TestCrypto.VERIFIER, TestCrypto.DIFFICULTY, 24 * HOUR, 4_096);
    private final Counters counters = new Counters();
    private List<PeerInfo> peers;

    @BeforeEach
    void peers() {
        peers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            peers.add(memPeer(randomId(random)));
        }
    }

    /** A value lookup whose peer lookup has asked every peer. */
    private ValueLookup lookup(int quorum) {
        ClosestPeersLookup path = new ClosestPeersLookup(KEY.asNodeId(), randomId(random), peers, 20, KademliaParameters.MAX_ALPHA,
                id -> 1_000, id -> true);
        for (int i = 0; i < peers.size(); i++) {
            assertTrue(path.next(NOW) instanceof Ask);
        }
        return new ValueLookup(KEY, path, check, quorum, counters);
    }

    private static PublishedRecord v(Publisher p, long version) {
        return p.publish(KEY, ("v" + version).getBytes(), version, NOW + HOUR);
    }

    private Optional<Verdict> answer(ValueLookup lookup, int peer, PublishedRecord record) {
        return lookup.onValue(peers.get(peer), Optional.ofNullable(record), List.of(), NOW);
    }

    @Test
    void theNewestVersionWins() {
        ValueLookup lookup = lookup(5);
        assertEquals(Optional.empty(), answer(lookup, 0, null));
        assertEquals(Optional.of(Verdict.VALID), answer(lookup, 1, v(ALICE, 1)));
        PublishedRecord v3 = v(ALICE, 3);
        assertEquals(Optional.of(Verdict.VALID), answer(lookup, 2, v3));
        assertEquals(Optional.of(Verdict.VALID), answer(lookup, 3, v(ALICE, 2)));
        assertEquals(Optional.of(Verdict.VALID), answer(lookup, 4, v3));
        assertEquals(Optional.of(v3), lookup.best());
        assertEquals(2, lookup.copies());
        assertEquals(sortedByDistance(List.of(peers.get(0), peers.get(1), peers.get(3))), lookup.peersLackingBest());
        assertFalse(lookup.peers().isFinished(), "two copies, quorum five");
        assertTrue(counters.snapshot().isEmpty(), "valid records count nothing: " + counters.snapshot());
    }

    @Test
    void aQuorumOfCopiesStopsTheLookup() {
        ValueLookup lookup = lookup(2);
        PublishedRecord v1 = v(ALICE, 1);
        answer(lookup, 0, v1);
        assertFalse(lookup.peers().isFinished());
        answer(lookup, 1, null);
        assertFalse(lookup.peers().isFinished());
        answer(lookup, 2, v1);
        assertTrue(lookup.peers().isFinished());
        assertEquals(2, lookup.copies());
        assertEquals(List.of(peers.get(1)), lookup.peersLackingBest());
    }

    @Test
    void aNewerVersionStartsTheCountAgainAndTheOlderHoldersLackIt() {
        ValueLookup lookup = lookup(3);
        PublishedRecord v1 = v(ALICE, 1);
        answer(lookup, 0, v1);
        answer(lookup, 1, v1);
        PublishedRecord v2 = v(ALICE, 2);
        answer(lookup, 2, v2);
        assertEquals(Optional.of(v2), lookup.best());
        assertEquals(1, lookup.copies());
        assertEquals(sortedByDistance(List.of(peers.get(0), peers.get(1))), lookup.peersLackingBest());
        assertFalse(lookup.peers().isFinished());
        answer(lookup, 3, v2);
        answer(lookup, 4, v2);
        assertTrue(lookup.peers().isFinished());
        assertEquals(3, lookup.copies());
    }

    @Test
    void thePublisherMostPeersVouchForWinsOverAHigherVersionFromAnother() {
        ValueLookup lookup = lookup(3);
        PublishedRecord sybil = v(BOB, 1_000); // validly signed by Bob, for a key Alice holds
        answer(lookup, 0, sybil);
        assertEquals(Optional.of(sybil), lookup.best(), "alone, Bob's record is the best there is");
        PublishedRecord alice = v(ALICE, 1);
        answer(lookup, 1, alice);
        answer(lookup, 2, alice);
        assertEquals(Optional.of(alice), lookup.best(), "two peers vouch for Alice, one for Bob");
        assertEquals(2, lookup.copies());
        assertTrue(lookup.peersLackingBest().contains(peers.get(0)), "the Sybil's peer lacks the winner");
        answer(lookup, 3, alice);
        assertFalse(lookup.peers().isFinished(), "while two publishers compete, the quorum does not end the lookup");
    }

    @Test
    void aForgedRecordNeverBecomesBestAndIsCounted() {
        ValueLookup lookup = lookup(1);
        PublishedRecord forged9 = TestCrypto.flipSignatureBit(v(ALICE, 9), 100);
        assertEquals(Optional.of(Verdict.FORGED), answer(lookup, 0, forged9));
        assertEquals(Optional.empty(), lookup.best());
        assertEquals(0, lookup.copies());
        assertFalse(lookup.peers().isFinished(), "a forged record is no copy");
        assertEquals(1, counters.get("record-forged"));

        ValueLookup second = lookup(2);
        PublishedRecord v1 = v(ALICE, 1);
        answer(second, 1, v1);
        assertEquals(Optional.of(Verdict.FORGED), answer(second, 2, TestCrypto.flipSignatureBit(v(ALICE, 10), 5)));
        assertEquals(Optional.of(v1), second.best(), "a forged higher version does not displace a valid one");
        assertEquals(2, counters.get("record-forged"));
        assertEquals(sortedByDistance(List.of(peers.get(2))), second.peersLackingBest());
    }

    @Test
    void aRecordForAnotherKeyIsRefused() {
        ValueLookup lookup = lookup(1);
        PublishedRecord elsewhere = ALICE.publish(DhtKey.ofName("another key"), "x".getBytes(), 5, NOW + HOUR);
        assertEquals(Verdict.VALID, check.check(elsewhere, NOW), "valid in itself");
        assertEquals(Optional.of(Verdict.FORGED), answer(lookup, 0, elsewhere));
        assertEquals(Optional.empty(), lookup.best());
        assertFalse(lookup.peers().isFinished());
        assertEquals(1, counters.get("record-forged"));
        assertEquals(List.of(peers.get(0)), lookup.peersLackingBest());
    }

    @Test
    void otherRefusalsAreCountedByReason() {
        ValueLookup lookup = lookup(1);
        assertEquals(Optional.of(Verdict.EXPIRED), answer(lookup, 0, ALICE.publish(KEY, "x".getBytes(), 1, NOW - 1)));
        assertEquals(Optional.of(Verdict.TOO_LONG_LIVED), answer(lookup, 1, ALICE.publish(KEY, "x".getBytes(), 1, NOW + 48 * HOUR)));
        assertEquals(Optional.of(Verdict.OVERSIZED), answer(lookup, 2, ALICE.publish(KEY, new byte[5_000], 1, NOW + HOUR)));
        assertEquals(1, counters.get("record-expired"));
        assertEquals(1, counters.get("record-too-long-lived"));
        assertEquals(1, counters.get("record-oversized"));
        assertEquals(Optional.empty(), lookup.best());
    }

    @Test
    void peersLackingTheBestAreListedClosestToTheKeyFirst() {
        ValueLookup lookup = lookup(10);
        PublishedRecord v1 = v(ALICE, 1);
        for (int i = 0; i < peers.size(); i++) {
            answer(lookup, i, i == 5 ? v1 : null);
        }
        List<PeerInfo> lacking = lookup.peersLackingBest();
        assertEquals(peers.size() - 1, lacking.size());
        assertFalse(lacking.contains(peers.get(5)));
        assertTrue(TestPeers.isSortedByDistance(lacking, KEY.asNodeId()));
    }

    @Test
    void onePeerAnsweringTwiceIsOneCopy() {
        ValueLookup lookup = lookup(2);
        PublishedRecord v1 = v(ALICE, 1);
        answer(lookup, 0, v1);
        answer(lookup, 0, v1);
        assertEquals(1, lookup.copies(), "a quorum is of distinct peers");
        assertFalse(lookup.peers().isFinished());
        answer(lookup, 1, v1);
        assertEquals(2, lookup.copies());
        assertTrue(lookup.peers().isFinished());
    }

    @Test
    void aNewerTombstoneWins() {
        ValueLookup lookup = lookup(3);
        answer(lookup, 0, v(ALICE, 1));
        PublishedRecord gone = ALICE.tombstone(KEY, 2, NOW + HOUR);
        answer(lookup, 1, gone);
        assertEquals(Optional.of(gone), lookup.best());
        assertTrue(lookup.best().get().record().isTombstone());
    }

    @Test
    void theSameVersionFromAnotherPublisherIsNoCopy() {
        ValueLookup lookup = lookup(2);
        PublishedRecord alices = v(ALICE, 1);
        answer(lookup, 0, alices);
        answer(lookup, 1, v(BOB, 1));
        assertEquals(Optional.of(alices), lookup.best());
        assertEquals(1, lookup.copies());
        assertFalse(lookup.peers().isFinished());
        assertEquals(List.of(peers.get(1)), lookup.peersLackingBest());
    }

    @Test
    void failuresAndCloserPeersReachThePeerLookup() {
        ValueLookup lookup = lookup(1);
        lookup.onFailure(peers.get(0).nodeId(), NOW);
        assertEquals(1, lookup.peers().stats().failures());
        PeerInfo closer = memPeer(randomId(random));
        lookup.onValue(peers.get(1), Optional.empty(), List.of(closer), NOW);
        assertEquals(1, lookup.peers().stats().responses());
        assertEquals(2, ((ClosestPeersLookup) lookup.peers()).depthOf(closer.nodeId()));
    }

    @Test
    void refusesAQuorumBelowOne() {
        ClosestPeersLookup path = new ClosestPeersLookup(KEY.asNodeId(), randomId(random), peers, 20, 3, id -> 1, id -> true);
        assertThrows(IllegalArgumentException.class, () -> new ValueLookup(KEY, path, check, 0, counters));
    }

    private List<PeerInfo> sortedByDistance(List<PeerInfo> list) {
        NodeId target = KEY.asNodeId();
        return list.stream().sorted(TestPeers.byDistanceTo(target)).toList();
    }
}
