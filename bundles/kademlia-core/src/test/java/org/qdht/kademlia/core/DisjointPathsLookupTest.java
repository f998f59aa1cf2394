package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.kademlia.core.TestPeers.ids;
import static org.qdht.kademlia.core.TestPeers.memPeer;
import static org.qdht.kademlia.core.TestPeers.randomId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;
import org.qdht.kademlia.core.PeerLookup.Ask;
import org.qdht.kademlia.core.PeerLookup.Done;
import org.qdht.kademlia.core.SimNetwork.Reaction;

class DisjointPathsLookupTest {
    static final int K = 20;
    static final int N = 2_000;
    static SimNetwork net;

    @BeforeAll
    static void buildNetwork() {
        net = new SimNetwork(77, N, K);
    }

    private static DisjointPathsLookup lookup(int requester, NodeId target, int alpha, int paths) {
        return new DisjointPathsLookup(target, net.peer(requester).nodeId(), net.seeds(requester, target), K, alpha, paths, id -> 500);
    }

    @Test
    void noPeerIsAskedTwiceAcrossPathsAndResultsMergeClosestFirst() {
        Random random = new Random(11);
        int exact = 0;
        for (int t = 0; t < 60; t++) {
            int requester = random.nextInt(N);
            NodeId target = t % 4 == 0 ? net.peer(random.nextInt(N)).nodeId() : randomId(random);
            int paths = 2 + t % 3;
            DisjointPathsLookup lookup = lookup(requester, target, 3, paths);
            // the driver fails the test if any peer is asked twice, or more than alpha * paths are outstanding
            SimNetwork.Run run = SimNetwork.run(lookup,
                    (peer, tgt, now, deadline) -> Reaction.answer(5 + random.nextInt(100), net.honestAnswer(peer, tgt)), 3 * paths, false);
            assertTrue(TestPeers.isSortedByDistance(run.result, target), "closest first");
            assertEquals(K, run.result.size());
            assertEquals(new HashSet<>(ids(run.result)).size(), K, "no duplicates");

            List<List<PeerInfo>> perPath = lookup.pathResults();
            assertEquals(paths, perPath.size());
            Set<NodeId> union = new HashSet<>();
            int total = 0;
            for (List<PeerInfo> r : perPath) {
                assertTrue(TestPeers.isSortedByDistance(r, target));
                union.addAll(ids(r));
                total += r.size();
            }
            assertEquals(total, union.size(), "the paths never share a peer");
            assertTrue(union.containsAll(ids(run.result)));
            List<PeerInfo> merged = new ArrayList<>();
            perPath.forEach(merged::addAll);
            assertEquals(ids(TestPeers.bruteForceClosest(merged, target, K)), ids(run.result), "the k closest of all paths");

            assertEquals(run.asks.size(), run.stats.requests());
            assertEquals(run.answersDelivered, run.stats.responses());
            List<PeerInfo> expected = net.trueClosest(target, K, Set.of(net.peer(requester).nodeId()));
            exact += ids(expected).equals(ids(run.result)) ? 1 : 0;
        }
        assertTrue(exact >= 57, exact + " of 60 lookups found the true k closest");
    }

    @Test
    void theSeedsAreDealtOutClosestFirstOnePerPath() {
        Random random = new Random(12);
        NodeId self = randomId(random);
        NodeId target = randomId(random);
        List<PeerInfo> seeds = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            seeds.add(memPeer(randomId(random)));
        }
        List<PeerInfo> sorted = new ArrayList<>(seeds);
        sorted.sort(TestPeers.byDistanceTo(target));
        DisjointPathsLookup lookup = new DisjointPathsLookup(target, self, seeds, K, 1, 3, id -> 100);
        // round robin over the paths, one request in flight each: the three closest seeds, one per path
        assertEquals(sorted.get(0), assertInstanceOf(Ask.class, lookup.next(0)).peer());
        assertEquals(sorted.get(1), assertInstanceOf(Ask.class, lookup.next(0)).peer());
        assertEquals(sorted.get(2), assertInstanceOf(Ask.class, lookup.next(0)).peer());
        assertEquals(new PeerLookup.Wait(100), lookup.next(0));
        // path 1 (seeds 1, 4, 7) gets an answer: it asks its next seed
        lookup.onResponse(sorted.get(1).nodeId(), List.of(), 1);
        assertEquals(sorted.get(4), assertInstanceOf(Ask.class, lookup.next(1)).peer());
        // answers from peers nobody asked are dropped
        lookup.onResponse(sorted.get(8).nodeId(), List.of(), 2);
        lookup.onResponse(randomId(random), List.of(), 2);
        lookup.onFailure(randomId(random), 2);
        assertEquals(new LookupStats(4, 1, 0, 1), lookup.stats());
    }

    @Test
    void aPeerNamedOnTwoPathsIsAskedByTheFirstOnly() {
        Random random = new Random(13);
        NodeId self = randomId(random);
        NodeId target = randomId(random);
        List<PeerInfo> p = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            p.add(memPeer(randomId(random)));
        }
        p.sort(TestPeers.byDistanceTo(target));
        PeerInfo shared = p.get(0);
        DisjointPathsLookup lookup = new DisjointPathsLookup(target, self, List.of(p.get(1), p.get(2)), K, 1, 2, id -> 100);
        Ask a = assertInstanceOf(Ask.class, lookup.next(0));
        Ask b = assertInstanceOf(Ask.class, lookup.next(0));
        lookup.onResponse(a.peer().nodeId(), List.of(shared), 1);
        lookup.onResponse(b.peer().nodeId(), List.of(shared), 1);
        Ask c = assertInstanceOf(Ask.class, lookup.next(1));
        assertEquals(shared, c.peer());
        lookup.onResponse(shared.nodeId(), List.of(), 2);
        assertInstanceOf(Done.class, lookup.next(2), "the other path skips it and has nobody left");
        assertEquals(3, lookup.stats().requests());
        assertEquals(List.of(p.get(0), p.get(1), p.get(2)), lookup.result());
    }

    @Test
    void finishStopsEveryPath() {
        Random random = new Random(14);
        List<PeerInfo> seeds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seeds.add(memPeer(randomId(random)));
        }
        DisjointPathsLookup lookup = new DisjointPathsLookup(randomId(random), randomId(random), seeds, K, 3, 3, id -> 100);
        assertInstanceOf(Ask.class, lookup.next(0));
        assertFalse(lookup.isFinished());
        lookup.finish();
        assertTrue(lookup.isFinished());
        assertInstanceOf(Done.class, lookup.next(1));
    }

    @Test
    void theParametersChooseTheKindOfLookup() {
        Random random = new Random(15);
        NodeId target = randomId(random);
        KademliaParameters p = KademliaParameters.defaults();
        assertInstanceOf(ClosestPeersLookup.class, DisjointPathsLookup.of(target, randomId(random), List.of(), p, id -> 1));
        PeerLookup disjoint = DisjointPathsLookup.of(target, randomId(random), List.of(), p.withDisjointPaths(3), id -> 1);
        assertInstanceOf(DisjointPathsLookup.class, disjoint);
        assertEquals(3, ((DisjointPathsLookup) disjoint).pathResults().size());
        assertEquals(target, disjoint.target());
        assertInstanceOf(Done.class, disjoint.next(0));
        assertThrows(IllegalArgumentException.class, () -> new DisjointPathsLookup(target, target, List.of(), K, 3, 0, id -> 1));
    }

    /**
     * An eclipse attempt: 30% of the peers are the attacker's; they answer at once, and only with
     * the attacker's peers closest to the target, while honest peers take 20-60 ms. A lookup
     * succeeds if it finds the honest peer closest to the target. One path is captured when it
     * asks an attacker early; three disjoint paths must nearly always get through, since the
     * attacker's peers a path has asked are never asked by another.
     */
    @Test
    void disjointPathsResistAttackersWhoAnswerWithTheirOwnPeers() {
        Random random = new Random(16);
        Set<NodeId> malicious = new HashSet<>();
        List<PeerInfo> maliciousPeers = new ArrayList<>();
        for (PeerInfo p : net.peers) {
            if (random.nextInt(100) < MALICIOUS_PERCENT) {
                malicious.add(p.nodeId());
                maliciousPeers.add(p);
            }
        }
        Map<NodeId, List<PeerInfo>> maliciousAnswers = new HashMap<>();
        SimNetwork.Responder responder = (peer, target, now, deadline) -> malicious.contains(peer)
                ? Reaction.answer(1, maliciousAnswers.computeIfAbsent(target, t -> TestPeers.bruteForceClosest(maliciousPeers, t, K)))
                : Reaction.answer(20 + random.nextInt(40), net.honestAnswer(peer, target));
        int lookups = 200;
        int[] successes = new int[4];
        for (int t = 0; t < lookups; t++) {
            int requester;
            do {
                requester = random.nextInt(N);
            } while (malicious.contains(net.peer(requester).nodeId()));
            NodeId target = randomId(random);
            Set<NodeId> except = new HashSet<>(malicious);
            except.add(net.peer(requester).nodeId());
            NodeId closestHonest = net.trueClosest(target, 1, except).get(0).nodeId();
            for (int paths : new int[] { 1, 3 }) {
                PeerLookup lookup = paths == 1
                        ? new ClosestPeersLookup(target, net.peer(requester).nodeId(), net.seeds(requester, target), K, 3, id -> 500, id -> true)
                        : lookup(requester, target, 3, paths);
                SimNetwork.Run run = SimNetwork.run(lookup, responder, 3 * paths, false);
                if (ids(run.result).contains(closestHonest)) {
                    successes[paths]++;
                }
            }
        }
        System.out.printf("eclipse with %d%% malicious peers: 1 path found the closest honest peer in %d of %d lookups, 3 paths in %d%n",
                MALICIOUS_PERCENT, successes[1], lookups, successes[3]);
        assertTrue(successes[3] >= lookups * 90 / 100, "3 paths: " + successes[3] + " of " + lookups);
        assertTrue(successes[1] < successes[3], "1 path: " + successes[1] + ", 3 paths: " + successes[3]);
        assertTrue(lookups - successes[1] >= lookups / 10, "the attack must bite a single path: " + successes[1]);
    }

    static final int MALICIOUS_PERCENT = 30;
}
