package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.kademlia.core.TestPeers.idWithPrefix;
import static org.qdht.kademlia.core.TestPeers.memPeer;
import static org.qdht.kademlia.core.TestPeers.peer;
import static org.qdht.kademlia.core.TestPeers.randomId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;
import org.qdht.kademlia.core.RoutingTable.Admission;
import org.qdht.kademlia.core.RoutingTable.Outcome;

class RoutingTableTest {
    private final Random random = new Random(42);
    private final NodeId self = randomId(random);
    /** Group limits out of the way unless a test is about them. */
    private final KademliaParameters open = KademliaParameters.defaults().withGroupLimits(KademliaParameters.MAX_K, 100_000);

    private int nextSubnet = 1;

    /** A peer in bucket {@code bucket} with an IPv4 address of a /24 of its own. */
    private PeerInfo inBucket(int bucket) {
        int n = nextSubnet++;
        return peer(idWithPrefix(self, bucket, random), "udp://10." + (n / 256) + "." + (n % 256) + ".1:4000");
    }

    private PeerInfo inBucket(int bucket, String address) {
        return peer(idWithPrefix(self, bucket, random), address);
    }

    private static Outcome outcome(Admission a) {
        return a.outcome();
    }

    @Test
    void theTestHelperPlacesIdsInTheirBucket() {
        RoutingTable table = new RoutingTable(self, open);
        for (int b = 0; b < NodeId.BITS; b++) {
            assertEquals(b, table.bucketIndex(idWithPrefix(self, b, random)));
        }
        assertEquals(NodeId.BITS, table.bucketIndex(self));
    }

    @Test
    void admitsUpToKPerBucketThenCachesAndAsksForALivenessCheckOfTheLeastRecentlySeen() {
        RoutingTable table = new RoutingTable(self, open.withK(4));
        List<PeerInfo> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PeerInfo p = inBucket(3);
            first.add(p);
            Admission a = table.admit(p, 100 + i);
            assertEquals(Outcome.ADDED, a.outcome());
            assertEquals(Optional.empty(), a.checkLiveness());
        }
        assertEquals(4, table.size());

        PeerInfo fifth = inBucket(3);
        Admission cached = table.admit(fifth, 200);
        assertEquals(Outcome.CACHED, cached.outcome());
        assertEquals(Optional.of(first.get(0)), cached.checkLiveness(), "the least recently seen entry is the one to check");
        assertEquals(4, table.size(), "a full bucket never grows");
        assertFalse(table.contains(fifth.nodeId()));
        assertEquals(1, table.replacements());

        // the oldest answers a request: now the second oldest is the least recently seen
        assertEquals(Outcome.UPDATED, table.admit(first.get(0), 300).outcome());
        Admission again = table.admit(inBucket(3), 301);
        assertEquals(Outcome.CACHED, again.outcome());
        assertEquals(Optional.of(first.get(1)), again.checkLiveness());

        // responded() also marks an entry as seen
        table.responded(first.get(1).nodeId(), 400, 10_000);
        assertEquals(Optional.of(first.get(2)), table.admit(inBucket(3), 401).checkLiveness());

        // another bucket has room of its own
        assertEquals(Outcome.ADDED, table.admit(inBucket(4), 500).outcome());
        assertEquals(5, table.size());
    }

    @Test
    void kLimitHoldsInEveryBucket() {
        RoutingTable table = new RoutingTable(self, open.withK(5));
        for (int i = 0; i < 3_000; i++) {
            table.admit(memPeer(randomId(random)), i);
        }
        int[] sizes = table.bucketSizes();
        assertEquals(NodeId.BITS, sizes.length);
        assertTrue(Arrays.stream(sizes).allMatch(s -> s <= 5), Arrays.toString(sizes));
        assertEquals(5, sizes[0]);
        assertEquals(table.size(), Arrays.stream(sizes).sum());
        assertEquals(table.size(), table.entries().size());
    }

    @Test
    void updatedKeepsOneEntryAndTakesNewAddressesOfTheSameNetworkGroup() {
        RoutingTable table = new RoutingTable(self, open);
        NodeId id = idWithPrefix(self, 0, random);
        assertEquals(Outcome.ADDED, table.admit(peer(id, "udp://203.0.113.5:4000"), 1).outcome());
        Admission a = table.admit(peer(id, "udp://203.0.113.5:4001"), 2);
        assertEquals(Outcome.UPDATED, a.outcome());
        assertEquals(Optional.empty(), a.checkLiveness());
        assertEquals(1, table.size());
        assertEquals(peer(id, "udp://203.0.113.5:4001"), table.closest(id, 1).get(0));
        assertEquals(Outcome.UPDATED, table.admit(peer(id, "udp://198.51.100.7:4000"), 2).outcome());
        assertEquals(peer(id, "udp://203.0.113.5:4001"), table.closest(id, 1).get(0),
                "an entry never moves into another network group past that group's limits");
        assertEquals(2, table.entries().get(0).lastSeenMillis());
        assertEquals(1, table.entries().get(0).addedAtMillis());
    }

    @Test
    void refusesItself() {
        RoutingTable table = new RoutingTable(self, open);
        Admission a = table.admit(memPeer(self), 1);
        assertEquals(Outcome.REFUSED_SELF, a.outcome());
        assertEquals(Optional.empty(), a.checkLiveness());
        assertEquals(0, table.size());
    }

    @Test
    void groupLimitPerBucket() {
        RoutingTable table = new RoutingTable(self, open.withGroupLimits(2, 100));
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(0, "udp://203.0.113.5:4000"), 1)));
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(0, "udp://203.0.113.9:4000"), 1)));
        Admission third = table.admit(inBucket(0, "udp://203.0.113.77:4001"), 1);
        assertEquals(Outcome.REFUSED_GROUP_LIMIT, third.outcome());
        assertEquals(Optional.empty(), third.checkLiveness());
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(0, "udp://203.0.114.1:4000"), 1)), "the next /24 is another group");
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(1, "udp://203.0.113.77:4001"), 1)), "the limit is per bucket");
        assertEquals(4, table.size());
    }

    @Test
    void groupLimitPerTable() {
        RoutingTable table = new RoutingTable(self, open.withGroupLimits(2, 3));
        for (int b = 0; b < 3; b++) {
            assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(b, "udp://198.51.100." + (b + 1) + ":4000"), 1)));
        }
        assertEquals(Outcome.REFUSED_GROUP_LIMIT, outcome(table.admit(inBucket(3, "udp://198.51.100.50:4000"), 1)));
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(3, "udp://198.51.101.50:4000"), 1)));
    }

    @Test
    void groupLimitsCountIpv6Slash48s() {
        RoutingTable table = new RoutingTable(self, open.withGroupLimits(1, 100));
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(0, "udp://[2001:db8:1:a::1]:4000"), 1)));
        assertEquals(Outcome.REFUSED_GROUP_LIMIT, outcome(table.admit(inBucket(0, "udp://[2001:db8:1:b::2]:4000"), 1)));
        assertEquals(Outcome.REFUSED_GROUP_LIMIT, outcome(table.admit(inBucket(0, "udp://[2001:0db8:0001::3]:4000"), 1)));
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(0, "udp://[2001:db8:2::1]:4000"), 1)));
    }

    @Test
    void loopbackIsExemptPerPort() {
        RoutingTable table = new RoutingTable(self, open.withGroupLimits(1, 1));
        for (int port = 4000; port < 4010; port++) {
            assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(0, "udp://127.0.0.1:" + port), 1)));
        }
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(0, "udp://[::1]:4000"), 1)));
        assertEquals(Outcome.REFUSED_GROUP_LIMIT, outcome(table.admit(inBucket(1, "udp://127.0.0.1:4000"), 1)),
                "one group per port: a second node on the same port is refused");
    }

    @Test
    void evictionGivesTheGroupItsRoomBack() {
        RoutingTable table = new RoutingTable(self, open.withGroupLimits(1, 1));
        PeerInfo a = inBucket(0, "udp://203.0.113.5:4000");
        table.admit(a, 1);
        assertEquals(Outcome.REFUSED_GROUP_LIMIT, outcome(table.admit(inBucket(2, "udp://203.0.113.6:4000"), 1)));
        assertTrue(table.evict(a.nodeId()));
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(2, "udp://203.0.113.6:4000"), 1)));
    }

    @Test
    void failedEvictsAfterMaxFailuresAndPromotesTheNewestReplacement() {
        KademliaParameters p = open.withK(2); // maxFailures 2
        RoutingTable table = new RoutingTable(self, p);
        PeerInfo a = inBucket(5);
        PeerInfo b = inBucket(5);
        table.admit(a, 1);
        table.admit(b, 2);
        PeerInfo r1 = inBucket(5);
        PeerInfo r2 = inBucket(5);
        PeerInfo r3 = inBucket(5);
        assertEquals(Outcome.CACHED, outcome(table.admit(r1, 3)));
        assertEquals(Outcome.CACHED, outcome(table.admit(r2, 4)));
        assertEquals(Outcome.CACHED, outcome(table.admit(r3, 5)));
        assertEquals(3, table.replacements());

        assertFalse(table.failed(a.nodeId()));
        assertTrue(table.contains(a.nodeId()));
        table.responded(a.nodeId(), 10, 5_000); // an answer resets the count
        assertFalse(table.failed(a.nodeId()));
        assertTrue(table.contains(a.nodeId()));
        assertTrue(table.failed(a.nodeId()), "second failure in a row");
        assertFalse(table.contains(a.nodeId()));
        assertTrue(table.contains(r3.nodeId()), "the newest replacement takes the place");
        assertFalse(table.contains(r1.nodeId()));
        assertFalse(table.contains(r2.nodeId()));
        assertEquals(2, table.size());
        assertEquals(2, table.replacements());

        assertFalse(table.failed(a.nodeId()), "no longer in the table");
        assertFalse(table.failed(randomId(random)));
    }

    @Test
    void aReplacementCheckedInYetFailedTwiceIsNotPromotedTwice() {
        RoutingTable table = new RoutingTable(self, open.withK(1));
        PeerInfo a = inBucket(0);
        table.admit(a, 1);
        PeerInfo r = inBucket(0);
        table.admit(r, 2);
        table.admit(r, 3); // cached again: moves to the newest place, kept once
        assertEquals(1, table.replacements());
        assertTrue(table.evict(a.nodeId()));
        assertTrue(table.contains(r.nodeId()));
        assertEquals(0, table.replacements());
    }

    @Test
    void promotionSkipsReplacementsWhoseGroupIsFullNow() {
        RoutingTable table = new RoutingTable(self, open.withK(2).withGroupLimits(2, 2));
        PeerInfo a = inBucket(0, "udp://198.51.100.1:4000");
        table.admit(a, 1);
        table.admit(inBucket(0, "udp://198.51.101.1:4000"), 1);
        PeerInfo older = inBucket(0, "udp://198.51.102.1:4000");
        PeerInfo newer = inBucket(0, "udp://203.0.113.1:4000");
        assertEquals(Outcome.CACHED, outcome(table.admit(older, 2)));
        assertEquals(Outcome.CACHED, outcome(table.admit(newer, 3)));
        // the group of the newer replacement fills up elsewhere in the table
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(1, "udp://203.0.113.2:4000"), 4)));
        assertEquals(Outcome.ADDED, outcome(table.admit(inBucket(2, "udp://203.0.113.3:4000"), 4)));
        assertTrue(table.evict(a.nodeId()));
        assertFalse(table.contains(newer.nodeId()), "its group has no room left");
        assertTrue(table.contains(older.nodeId()));
    }

    @Test
    void replacementCacheIsBoundedAndDropsItsOldest() {
        RoutingTable table = new RoutingTable(self, open.withK(1)); // 8 replacements
        PeerInfo a = inBucket(0);
        table.admit(a, 0);
        List<PeerInfo> cached = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            PeerInfo r = inBucket(0);
            cached.add(r);
            assertEquals(Outcome.CACHED, outcome(table.admit(r, i + 1)));
        }
        assertEquals(8, table.replacements());
        NodeId current = a.nodeId();
        for (int i = 11; i >= 4; i--) {
            assertTrue(table.evict(current));
            assertTrue(table.contains(cached.get(i).nodeId()), "newest first: " + i);
            current = cached.get(i).nodeId();
        }
        assertEquals(0, table.replacements());
        assertTrue(table.evict(current));
        assertEquals(0, table.size(), "the four oldest were dropped from the cache");
    }

    @Test
    void evictRemovesAtOnce() {
        RoutingTable table = new RoutingTable(self, open);
        PeerInfo a = inBucket(7);
        table.admit(a, 1);
        assertTrue(table.evict(a.nodeId()));
        assertFalse(table.contains(a.nodeId()));
        assertFalse(table.evict(a.nodeId()));
        assertFalse(table.evict(randomId(random)));
        assertEquals(0, table.size());
        assertEquals(Outcome.ADDED, outcome(table.admit(a, 2)), "it may come back");
    }

    @Test
    void closestMatchesABruteForceXorSort() {
        RoutingTable table = new RoutingTable(self, open);
        List<PeerInfo> admitted = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            PeerInfo p = memPeer(i % 3 == 0 ? idWithPrefix(self, random.nextInt(40), random) : randomId(random));
            if (table.admit(p, i).outcome() == Outcome.ADDED) {
                admitted.add(p);
            }
        }
        assertEquals(admitted.size(), table.size());
        for (int t = 0; t < 200; t++) {
            NodeId target = t % 4 == 0 ? admitted.get(random.nextInt(admitted.size())).nodeId() : randomId(random);
            int count = 1 + random.nextInt(40);
            assertEquals(TestPeers.bruteForceClosest(admitted, target, count), table.closest(target, count));
        }
        assertEquals(admitted.size(), table.closest(self, 100_000).size());
        assertEquals(List.of(), table.closest(self, 0));
    }

    @Test
    void randomIdInBucketLandsInThatBucket() {
        RoutingTable table = new RoutingTable(self, open);
        for (int index = 0; index < NodeId.BITS; index++) {
            for (int i = 0; i < 20; i++) {
                NodeId id = table.randomIdInBucket(index, random);
                assertEquals(index, table.bucketIndex(id), "bucket " + index);
            }
        }
        // the bits after the prefix are random: two draws for a shallow bucket differ
        assertFalse(table.randomIdInBucket(3, random).equals(table.randomIdInBucket(3, random)));
        assertThrows(IllegalArgumentException.class, () -> table.randomIdInBucket(-1, random));
        assertThrows(IllegalArgumentException.class, () -> table.randomIdInBucket(NodeId.BITS, random));
    }

    @Test
    void bucketsToRefreshAreTheIdleOnesUpToOneBeyondTheDeepest() {
        RoutingTable table = new RoutingTable(self, open);
        assertEquals(List.of(0), table.bucketsToRefresh(0), "an empty table refreshes bucket 0");
        table.admit(inBucket(0), 1);
        table.admit(inBucket(1), 1);
        table.admit(inBucket(3), 1);
        assertEquals(List.of(0, 1, 2, 3, 4), table.bucketsToRefresh(50));
        table.lookedUp(table.randomIdInBucket(1, random), 100);
        table.lookedUp(table.randomIdInBucket(4, random), 100);
        table.lookedUp(self, 100); // not a bucket: ignored
        assertEquals(List.of(0, 2, 3), table.bucketsToRefresh(50));
        assertEquals(List.of(0, 2, 3), table.bucketsToRefresh(100));
        assertEquals(List.of(0, 1, 2, 3, 4), table.bucketsToRefresh(101));
    }

    @Test
    void timeoutStartsAtTheInitialValueAndAdaptsToMeasuredRoundTrips() {
        KademliaParameters p = open.withTimeouts(2_000, 50, 5_000);
        RoutingTable table = new RoutingTable(self, p);
        PeerInfo a = inBucket(0);
        table.admit(a, 1);
        assertEquals(2_000, table.timeoutMillis(randomId(random)), "unknown peer");
        assertEquals(2_000, table.timeoutMillis(a.nodeId()), "no round trip measured yet");
        assertEquals(-1, table.entries().get(0).smoothedRoundTripMicros());

        table.responded(a.nodeId(), 2, 100_000); // 100 ms
        assertEquals(301, table.timeoutMillis(a.nodeId()), "RTT + 4 * RTT/2, plus one");
        assertEquals(100_000, table.entries().get(0).smoothedRoundTripMicros());
        for (int i = 0; i < 100; i++) {
            table.responded(a.nodeId(), 3 + i, 100_000);
        }
        long steady = table.timeoutMillis(a.nodeId());
        assertTrue(steady >= 100 && steady < 110, "a steady peer gets a tight timeout: " + steady);

        for (int i = 0; i < 100; i++) {
            table.responded(a.nodeId(), 200 + i, 1_000);
        }
        assertEquals(50, table.timeoutMillis(a.nodeId()), "bounded below");
        for (int i = 0; i < 100; i++) {
            table.responded(a.nodeId(), 300 + i, 60_000_000);
        }
        assertEquals(5_000, table.timeoutMillis(a.nodeId()), "bounded above");
    }

    @Test
    void timeoutStaysWithinBoundsForAnyRoundTrip() {
        KademliaParameters p = open.withTimeouts(2_000, 50, 5_000);
        long[] samples = { 0, -5, 1, 999, 1_000, 49_999, 50_000, 5_000_000, Integer.MAX_VALUE, Long.MAX_VALUE / 8,
                Long.MAX_VALUE, Long.MIN_VALUE };
        for (int run = 0; run < 500; run++) {
            RoundTripTimes rtt = new RoundTripTimes();
            for (int i = 0; i < 30; i++) {
                long s = random.nextBoolean() ? samples[random.nextInt(samples.length)] : random.nextLong();
                rtt.sample(s);
                assertTrue(rtt.hasSamples());
                long t = rtt.timeoutMillis(p);
                assertTrue(t >= 50 && t <= 5_000, "timeout " + t + " after sample " + s);
            }
        }
    }

    @Test
    void aHugeRoundTripGivesTheLargestTimeoutNotTheSmallest() {
        KademliaParameters p = open.withTimeouts(2_000, 50, 5_000);
        RoundTripTimes rtt = new RoundTripTimes();
        rtt.sample(Long.MAX_VALUE);
        assertEquals(5_000, rtt.timeoutMillis(p));
        rtt.sample(Long.MAX_VALUE);
        assertTrue(rtt.hasSamples());
        assertEquals(5_000, rtt.timeoutMillis(p));
        rtt.sample(-1); // a clock step backwards counts as an instant answer
        assertTrue(rtt.smoothedMicros() >= 0);
    }

    @Test
    void notSeenSinceListsIdleEntriesOldestFirst() {
        RoutingTable table = new RoutingTable(self, open);
        PeerInfo a = inBucket(0);
        PeerInfo b = inBucket(1);
        PeerInfo c = inBucket(2);
        table.admit(b, 20);
        table.admit(a, 10);
        table.admit(c, 30);
        assertEquals(List.of(a, b), table.notSeenSince(30));
        table.responded(a.nodeId(), 40, 1_000);
        assertEquals(List.of(b, c), table.notSeenSince(40));
        assertEquals(List.of(), table.notSeenSince(10));
    }

    @Test
    void entriesAreListedClosestBucketsFirst() {
        RoutingTable table = new RoutingTable(self, open);
        table.admit(inBucket(0), 1);
        table.admit(inBucket(9), 1);
        table.admit(inBucket(4), 1);
        List<Integer> order = table.entries().stream().map(e -> table.bucketIndex(e.nodeId())).toList();
        assertEquals(List.of(9, 4, 0), order);
        assertTrue(table.entries().stream().allMatch(e -> e.failures() == 0 && !e.group().isEmpty()));
    }

    @Test
    void parametersRefuseOutOfRangeValues() {
        KademliaParameters d = KademliaParameters.defaults();
        assertEquals(20, d.k());
        assertEquals(3, d.alpha());
        assertThrows(IllegalArgumentException.class, () -> d.withK(0));
        assertThrows(IllegalArgumentException.class, () -> d.withK(KademliaParameters.MAX_K + 1));
        assertThrows(IllegalArgumentException.class, () -> d.withAlpha(0));
        assertThrows(IllegalArgumentException.class, () -> d.withAlpha(KademliaParameters.MAX_ALPHA + 1));
        assertThrows(IllegalArgumentException.class, () -> d.withDisjointPaths(0));
        assertThrows(IllegalArgumentException.class, () -> d.withDisjointPaths(KademliaParameters.MAX_DISJOINT_PATHS + 1));
        assertThrows(IllegalArgumentException.class, () -> d.withGroupLimits(0, 10));
        assertThrows(IllegalArgumentException.class, () -> d.withTimeouts(10, 20, 30));
        assertThrows(IllegalArgumentException.class, () -> d.withTimeouts(40, 20, 30));
        assertThrows(IllegalArgumentException.class, () -> d.withTimeouts(1, 0, 30));
        assertEquals(64, d.withK(64).k());
    }

    /** Random admissions, answers, failures and evictions never break the table's limits or its bookkeeping. */
    @Test
    void limitsAndBookkeepingHoldUnderRandomOperations() {
        KademliaParameters p = new KademliaParameters(4, 3, 1, 3, 2, 5, 2, 1_000, 10, 10_000);
        RoutingTable table = new RoutingTable(self, p);
        List<PeerInfo> pool = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int bucket = random.nextInt(6);
            String address = switch (random.nextInt(4)) {
                case 0 -> "udp://203.0." + random.nextInt(4) + "." + random.nextInt(256) + ":4000";
                case 1 -> "udp://[2001:db8:" + random.nextInt(4) + "::" + Integer.toHexString(random.nextInt(65536)) + "]:4000";
                case 2 -> "udp://127.0.0.1:" + (4000 + random.nextInt(8));
                default -> "mem://n" + random.nextInt(40);
            };
            pool.add(inBucket(bucket, address));
        }
        for (int step = 0; step < 20_000; step++) {
            PeerInfo peer = pool.get(random.nextInt(pool.size()));
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    Admission a = table.admit(peer, step);
                    if (a.outcome() == Outcome.CACHED) {
                        assertTrue(table.contains(a.checkLiveness().get().nodeId()));
                    }
                }
                case 2 -> table.responded(peer.nodeId(), step, random.nextInt(1_000_000));
                case 3 -> table.failed(peer.nodeId());
                default -> table.evict(peer.nodeId());
            }
            if (step % 50 == 0) {
                checkInvariants(table, p);
            }
        }
        checkInvariants(table, p);
    }

    private static void checkInvariants(RoutingTable table, KademliaParameters p) {
        List<TableEntry> entries = table.entries();
        assertEquals(table.size(), entries.size());
        assertEquals(entries.size(), entries.stream().map(TableEntry::nodeId).distinct().count(), "an entry appears once");
        assertEquals(table.size(), Arrays.stream(table.bucketSizes()).sum());
        assertTrue(Arrays.stream(table.bucketSizes()).allMatch(s -> s <= p.k()));
        java.util.Map<String, Long> perGroup = new java.util.HashMap<>();
        java.util.Map<String, Long> perGroupAndBucket = new java.util.HashMap<>();
        for (TableEntry e : entries) {
            assertTrue(table.contains(e.nodeId()));
            assertTrue(e.failures() < p.maxFailures());
            perGroup.merge(e.group(), 1L, Long::sum);
            perGroupAndBucket.merge(e.group() + "@" + table.bucketIndex(e.nodeId()), 1L, Long::sum);
        }
        assertTrue(perGroup.values().stream().allMatch(n -> n <= p.maxPerGroupInTable()), perGroup::toString);
        assertTrue(perGroupAndBucket.values().stream().allMatch(n -> n <= p.maxPerGroupInBucket()), perGroupAndBucket::toString);
        assertTrue(table.replacements() <= 6 * p.replacementCacheSize());
    }

    @Test
    void survivesConcurrentUse() throws InterruptedException {
        RoutingTable table = new RoutingTable(self, open);
        List<PeerInfo> pool = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            pool.add(memPeer(randomId(random)));
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            long seed = t;
            Thread thread = new Thread(() -> {
                Random r = new Random(seed);
                try {
                    for (int i = 0; i < 20_000; i++) {
                        PeerInfo peer = pool.get(r.nextInt(pool.size()));
                        switch (r.nextInt(6)) {
                            case 0, 1 -> table.admit(peer, i);
                            case 2 -> table.failed(peer.nodeId());
                            case 3 -> table.evict(peer.nodeId());
                            case 4 -> table.closest(peer.nodeId(), 20);
                            default -> table.responded(peer.nodeId(), i, 1_000);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(table.size(), table.entries().size());
        assertEquals(table.size(), Arrays.stream(table.bucketSizes()).sum());
    }
}
