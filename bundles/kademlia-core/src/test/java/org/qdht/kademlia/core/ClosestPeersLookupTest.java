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
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;
import org.qdht.kademlia.core.PeerLookup.Ask;
import org.qdht.kademlia.core.PeerLookup.Done;
import org.qdht.kademlia.core.PeerLookup.Step;
import org.qdht.kademlia.core.PeerLookup.Wait;
import org.qdht.kademlia.core.SimNetwork.Reaction;

class ClosestPeersLookupTest {
    static final int K = 20;
    static final int N = 2_000;
    static SimNetwork net;

    @BeforeAll
    static void buildNetwork() {
        net = new SimNetwork(2024, N, K);
    }

    private static ClosestPeersLookup lookup(int requester, NodeId target, int alpha, long timeout) {
        return new ClosestPeersLookup(target, net.peer(requester).nodeId(), net.seeds(requester, target), K, alpha,
                id -> timeout, id -> true);
    }

    private static NodeId target(Random random, int t) {
        return t % 5 == 0 ? net.peer(random.nextInt(N)).nodeId() : randomId(random);
    }

    // ---- on the synthetic network ----

    @Test
    void findsExactlyTheTrueKClosestOnAStaticNetwork() {
        Random random = new Random(1);
        for (int t = 0; t < 100; t++) {
            int requester = random.nextInt(N);
            NodeId target = target(random, t);
            ClosestPeersLookup lookup = lookup(requester, target, 3, 1_000);
            SimNetwork.Run run = SimNetwork.run(lookup,
                    (peer, tgt, now, deadline) -> Reaction.answer(10 + random.nextInt(40), net.honestAnswer(peer, tgt)), 3, false);
            List<PeerInfo> expected = net.trueClosest(target, K, Set.of(net.peer(requester).nodeId()));
            assertEquals(ids(expected), ids(run.result), "target " + t);
            assertTrue(run.result.stream().allMatch(p -> run.settled.contains(p.nodeId())), "only peers that answered");
            SimNetwork.assertStatsConsistent(run);
            assertTrue(run.stats.hops() >= 1 && run.stats.hops() < 10, "hops " + run.stats.hops());
            assertEquals(lookup.depthOf(run.result.get(0).nodeId()), run.stats.hops());
            assertTrue(run.stats.requests() < 120, "requests " + run.stats.requests());
        }
    }

    @Test
    void neverHasMoreThanAlphaRequestsOutstanding() {
        Random random = new Random(2);
        for (int alpha : new int[] { 1, 2, 3, 8, 16 }) {
            int reachedAlpha = 0;
            for (int t = 0; t < 20; t++) {
                int requester = random.nextInt(N);
                NodeId target = target(random, t);
                // latencies around the timeout: many requests go overdue, some answers come late
                SimNetwork.Run run = SimNetwork.run(lookup(requester, target, alpha, 200),
                        (peer, tgt, now, deadline) -> Reaction.answer(1 + random.nextInt(400), net.honestAnswer(peer, tgt)),
                        alpha, false);
                assertTrue(run.maxOutstanding <= alpha);
                reachedAlpha += run.maxOutstanding == alpha ? 1 : 0;
                assertTrue(TestPeers.isSortedByDistance(run.result, target));
                SimNetwork.assertStatsConsistent(run);
            }
            assertTrue(reachedAlpha > 0, "the lookup uses its parallelism of " + alpha);
        }
    }

    @Test
    void failuresAndTimeoutsDoNotStallIt() {
        Random random = new Random(3);
        Set<NodeId> failing = new HashSet<>();
        Set<NodeId> silent = new HashSet<>();
        for (PeerInfo p : net.peers) {
            int r = random.nextInt(10);
            if (r < 2) {
                failing.add(p.nodeId());
            } else if (r < 3) {
                silent.add(p.nodeId());
            }
        }
        for (int t = 0; t < 100; t++) {
            int requester = random.nextInt(N);
            NodeId target = target(random, t);
            SimNetwork.Run run = SimNetwork.run(lookup(requester, target, 3, 300), (peer, tgt, now, deadline) -> {
                if (failing.contains(peer)) {
                    return Reaction.fail(5 + random.nextInt(50));
                }
                return silent.contains(peer) ? Reaction.silent() : Reaction.answer(5 + random.nextInt(50), net.honestAnswer(peer, tgt));
            }, 3, false);
            assertTrue(run.result.stream().noneMatch(p -> failing.contains(p.nodeId()) || silent.contains(p.nodeId())));
            assertTrue(TestPeers.isSortedByDistance(run.result, target));
            SimNetwork.assertStatsConsistent(run);
            assertTrue(run.endMillis <= (long) run.stats.requests() * 300, "ended at " + run.endMillis);
            // the tables still list the dead peers, so answers name the k closest, dead or alive: the
            // lookup must find every live one among them, and those first
            Set<NodeId> dead = new HashSet<>(failing);
            dead.addAll(silent);
            List<PeerInfo> liveAmongClosest = net.trueClosest(target, K, Set.of(net.peer(requester).nodeId())).stream()
                    .filter(p -> !dead.contains(p.nodeId())).toList();
            assertTrue(run.result.size() >= liveAmongClosest.size(), run.result.size() + " < " + liveAmongClosest.size());
            assertEquals(ids(liveAmongClosest), ids(run.result.subList(0, liveAmongClosest.size())), "target " + t);
        }
    }

    @Test
    void lateAnswersAreCountedAndUsedWhileTheLookupRuns() {
        Random random = new Random(4);
        int lateUsed = 0;
        for (int t = 0; t < 30; t++) {
            int requester = random.nextInt(N);
            NodeId target = target(random, t);
            // a third of the answers arrive 50 ms after the deadline
            SimNetwork.Run run = SimNetwork.run(lookup(requester, target, 3, 100), (peer, tgt, now, deadline) -> {
                long delay = random.nextInt(3) == 0 ? deadline - now + 50 : 10 + random.nextInt(40);
                return Reaction.answer(delay, net.honestAnswer(peer, tgt));
            }, 3, true);
            assertEquals(run.asks.size(), run.stats.requests());
            assertEquals(run.answersDelivered, run.stats.responses(), "every answer counts, late ones included");
            assertEquals(run.stats.requests(), run.stats.responses(), "nothing failed in the end");
            assertEquals(0, run.stats.failures());
            lateUsed += run.stats.responses() > 0 ? 1 : 0;
            List<PeerInfo> expected = net.trueClosest(target, K, Set.of(net.peer(requester).nodeId()));
            assertTrue(TestPeers.isSortedByDistance(run.result, target));
            assertTrue(expected.containsAll(run.result.subList(0, Math.min(5, run.result.size()))), "the closest found are true ones");
        }
        assertTrue(lateUsed > 0);
    }

    // ---- state machine, step by step ----

    private final Random random = new Random(5);
    private final NodeId self = randomId(random);
    private final NodeId target = randomId(random);

    /** {@code n} peers, closest to the target first. */
    private List<PeerInfo> peersByDistance(int n) {
        List<PeerInfo> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(memPeer(randomId(random)));
        }
        list.sort(TestPeers.byDistanceTo(target));
        return list;
    }

    private static Ask ask(Step step) {
        return assertInstanceOf(Ask.class, step);
    }

    @Test
    void aRequestPastItsDeadlineNoLongerCountsAgainstAlphaAndItsLateAnswerIsStillUsed() {
        List<PeerInfo> p = peersByDistance(3); // c closest, then a, then b
        PeerInfo c = p.get(0);
        PeerInfo a = p.get(1);
        PeerInfo b = p.get(2);
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, List.of(b, a), K, 1, id -> 100, id -> true);
        Ask first = ask(lookup.next(0));
        assertEquals(a, first.peer(), "closest seed first");
        assertEquals(100, first.deadlineMillis());
        assertEquals(new Wait(100), lookup.next(50), "alpha 1: wait for the deadline");
        Ask second = ask(lookup.next(100));
        assertEquals(b, second.peer(), "a is overdue and frees its slot");
        assertEquals(200, second.deadlineMillis());
        assertEquals(new LookupStats(2, 0, 1, 0), lookup.stats(), "the overdue request counts as failed for now");

        lookup.onResponse(a.nodeId(), List.of(c), 150); // late, still used
        assertEquals(new LookupStats(2, 1, 0, 1), lookup.stats());
        assertEquals(new Wait(200), lookup.next(150), "b still holds the only slot");
        lookup.onResponse(b.nodeId(), List.of(), 160);
        Ask third = ask(lookup.next(160));
        assertEquals(c, third.peer(), "the peer named by the late answer is asked");
        assertEquals(2, lookup.depthOf(c.nodeId()));
        lookup.onResponse(c.nodeId(), List.of(), 170);
        assertInstanceOf(Done.class, lookup.next(170));
        assertEquals(List.of(c, a, b), lookup.result());
        assertEquals(new LookupStats(3, 3, 0, 2), lookup.stats());
    }

    @Test
    void aFailureFreesItsSlotAtOnce() {
        List<PeerInfo> p = peersByDistance(2);
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, p, K, 1, id -> 1_000, id -> true);
        assertEquals(p.get(0), ask(lookup.next(0)).peer());
        assertEquals(new Wait(1_000), lookup.next(1));
        lookup.onFailure(p.get(0).nodeId(), 2);
        assertEquals(p.get(1), ask(lookup.next(2)).peer());
        lookup.onFailure(p.get(1).nodeId(), 3);
        assertInstanceOf(Done.class, lookup.next(3), "nobody left to ask");
        assertEquals(List.of(), lookup.result());
        assertEquals(new LookupStats(2, 0, 2, 0), lookup.stats());
    }

    @Test
    void unsolicitedAndRepeatedAnswersAreIgnored() {
        List<PeerInfo> p = peersByDistance(5);
        PeerInfo a = p.get(3);
        PeerInfo b = p.get(4);
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, List.of(a, b), K, 1, id -> 1_000, id -> true);
        assertEquals(a, ask(lookup.next(0)).peer());
        lookup.onResponse(randomId(random), List.of(p.get(0)), 1); // never asked
        lookup.onResponse(b.nodeId(), List.of(p.get(1)), 1); // a candidate, not asked yet
        lookup.onFailure(b.nodeId(), 1);
        lookup.onFailure(randomId(random), 1);
        assertEquals(new LookupStats(1, 0, 0, 0), lookup.stats());
        lookup.onResponse(a.nodeId(), List.of(), 2);
        lookup.onResponse(a.nodeId(), List.of(p.get(2)), 3); // a second answer from a
        lookup.onFailure(a.nodeId(), 3); // and a failure after its answer
        assertEquals(new LookupStats(1, 1, 0, 1), lookup.stats());
        assertEquals(b, ask(lookup.next(4)).peer());
        lookup.onResponse(b.nodeId(), List.of(), 5);
        assertInstanceOf(Done.class, lookup.next(5));
        assertEquals(List.of(a, b), lookup.result());
        for (int i = 0; i < 3; i++) {
            assertEquals(0, lookup.depthOf(p.get(i).nodeId()), "never became a candidate");
        }
    }

    @Test
    void finishStopsIt() {
        List<PeerInfo> p = peersByDistance(10);
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, p.subList(5, 10), K, 3, id -> 1_000, id -> true);
        Ask a1 = ask(lookup.next(0));
        Ask a2 = ask(lookup.next(0));
        lookup.onResponse(a1.peer().nodeId(), List.of(), 1);
        assertFalse(lookup.isFinished());
        lookup.finish();
        assertTrue(lookup.isFinished());
        assertInstanceOf(Done.class, lookup.next(2));
        lookup.onResponse(a2.peer().nodeId(), p.subList(0, 5), 3); // counted, but it names nobody new
        assertInstanceOf(Done.class, lookup.next(4));
        assertEquals(0, lookup.depthOf(p.get(0).nodeId()));
        assertEquals(List.of(a1.peer(), a2.peer()).stream().sorted(TestPeers.byDistanceTo(target)).toList(), lookup.result());
        assertEquals(2, lookup.stats().requests());
        assertEquals(2, lookup.stats().responses());
    }

    @Test
    void withoutSeedsItIsDoneAtOnce() {
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, List.of(), K, 3, id -> 1_000, id -> true);
        assertInstanceOf(Done.class, lookup.next(0));
        assertTrue(lookup.isFinished());
        assertEquals(List.of(), lookup.result());
        assertEquals(new LookupStats(0, 0, 0, 0), lookup.stats());
    }

    @Test
    void neverAsksItself() {
        List<PeerInfo> p = peersByDistance(2);
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, List.of(memPeer(self), p.get(1)), K, 3, id -> 1_000, id -> true);
        Ask a = ask(lookup.next(0));
        assertEquals(p.get(1), a.peer());
        lookup.onResponse(a.peer().nodeId(), List.of(memPeer(self), p.get(0)), 1);
        assertEquals(p.get(0), ask(lookup.next(1)).peer());
        assertInstanceOf(Wait.class, lookup.next(1));
        assertEquals(0, lookup.depthOf(self));
    }

    @Test
    void aPeerTheClaimRefusesIsSkipped() {
        List<PeerInfo> p = peersByDistance(3);
        Set<NodeId> refused = Set.of(p.get(0).nodeId());
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, p, K, 3, id -> 1_000, id -> !refused.contains(id));
        assertEquals(p.get(1), ask(lookup.next(0)).peer());
        assertEquals(p.get(2), ask(lookup.next(0)).peer());
        lookup.onResponse(p.get(1).nodeId(), List.of(), 1);
        lookup.onResponse(p.get(2).nodeId(), List.of(), 1);
        assertInstanceOf(Done.class, lookup.next(1));
        assertEquals(List.of(p.get(1), p.get(2)), lookup.result());
    }

    @Test
    void finishesWhenTheKClosestHaveAnsweredEvenIfFartherRequestsAreOutstanding() {
        List<PeerInfo> p = peersByDistance(3);
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, p, 2, 3, id -> 1_000, id -> true);
        ask(lookup.next(0));
        ask(lookup.next(0));
        ask(lookup.next(0));
        lookup.onResponse(p.get(0).nodeId(), List.of(), 1);
        assertInstanceOf(Wait.class, lookup.next(1));
        lookup.onResponse(p.get(1).nodeId(), List.of(), 2);
        assertInstanceOf(Done.class, lookup.next(2), "the two closest answered: p2 does not matter");
        assertEquals(List.of(p.get(0), p.get(1)), lookup.result());
    }

    @Test
    void refusesNonsenseParameters() {
        assertThrows(IllegalArgumentException.class, () -> new ClosestPeersLookup(target, self, List.of(), 0, 3, id -> 1, id -> true));
        assertThrows(IllegalArgumentException.class, () -> new ClosestPeersLookup(target, self, List.of(), 3, 0, id -> 1, id -> true));
        ClosestPeersLookup viaParameters = ClosestPeersLookup.of(target, self, List.of(), KademliaParameters.defaults(), id -> 1);
        assertEquals(target, viaParameters.target());
    }

    // ---- the candidate bound ----

    /** Candidates the lookup holds among {@code mentioned}. */
    private static int candidates(ClosestPeersLookup lookup, Set<NodeId> mentioned) {
        int n = 0;
        for (NodeId id : mentioned) {
            n += lookup.depthOf(id) > 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void candidatesStayBoundedWhenPeersAnswerWith64FarAwayPeersAgainAndAgain() {
        int k = 5;
        List<PeerInfo> seeds = peersByDistance(3);
        // everything the answers name lies farther from the target than the seeds
        NodeId far = seeds.get(2).nodeId();
        Set<NodeId> mentioned = new HashSet<>(ids(seeds));
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, seeds, k, 3, id -> 1_000, id -> true);
        long now = 0;
        int asks = 0;
        for (int step = 0; step < 10_000; step++) {
            Step s = lookup.next(now);
            if (s instanceof Done) {
                break;
            }
            if (s instanceof Ask a) {
                asks++;
                List<PeerInfo> junk = new ArrayList<>();
                while (junk.size() < KademliaParameters.MAX_K) {
                    NodeId id = randomId(random);
                    if (target.compareDistance(id, far) > 0) {
                        junk.add(memPeer(id));
                        mentioned.add(id);
                    }
                }
                for (int repeat = 0; repeat < 5; repeat++) {
                    lookup.onResponse(a.peer().nodeId(), junk, now); // only the first counts
                }
                assertTrue(candidates(lookup, mentioned) <= 4 * k, "candidates " + candidates(lookup, mentioned));
            }
            now++;
        }
        assertTrue(lookup.isFinished());
        assertEquals(k, lookup.result().size());
        assertEquals(asks, lookup.stats().responses());
        assertTrue(asks <= 4 * k, "asks " + asks);
    }

    @Test
    void candidatesStayBoundedWhenEveryAnswerNames64RandomPeers() {
        int k = 5;
        List<PeerInfo> seeds = peersByDistance(3);
        Set<NodeId> mentioned = new HashSet<>(ids(seeds));
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, seeds, k, 3, id -> 1_000, id -> true);
        long now = 0;
        boolean done = false;
        for (int step = 0; step < 100_000 && !done; step++) {
            Step s = lookup.next(now);
            done = s instanceof Done;
            if (s instanceof Ask a) {
                List<PeerInfo> answer = new ArrayList<>();
                for (int i = 0; i < KademliaParameters.MAX_K; i++) {
                    NodeId id = randomId(random);
                    answer.add(memPeer(id));
                    mentioned.add(id);
                }
                lookup.onResponse(a.peer().nodeId(), answer, now);
                assertTrue(candidates(lookup, mentioned) <= 4 * k);
            }
            now++;
        }
        assertTrue(done, "random answers cannot keep a lookup going for ever");
        assertTrue(TestPeers.isSortedByDistance(lookup.result(), target));
    }

    @Test
    void aCloserPeerIsNotLostWhenEveryCandidateHasBeenAsked() {
        int k = 20;
        List<PeerInfo> all = peersByDistance(4 * k + k);
        List<PeerInfo> closest = all.subList(0, k);
        List<PeerInfo> seeds = all.subList(k, all.size()); // 4k seeds: the candidate bound is reached at once
        PeerInfo good = seeds.get(seeds.size() - 1);
        ClosestPeersLookup lookup = new ClosestPeersLookup(target, self, seeds, k, 3, id -> 1_000, id -> true);
        SimNetwork.Run run = SimNetwork.run(lookup, (peer, tgt, now, deadline) -> {
            if (peer.equals(good.nodeId())) {
                return Reaction.answer(1, closest);
            }
            return closest.stream().anyMatch(c -> c.nodeId().equals(peer)) ? Reaction.answer(1, List.of()) : Reaction.fail(1);
        }, 3, false);
        assertEquals(ids(closest), ids(run.result), "the k closest peers the last seed named must be asked");
        SimNetwork.assertStatsConsistent(run);
    }

    @Test
    void aLookupWhoseKClosestSeedsHaveAllLeftStillReachesTheLiveNetwork() {
        Random random = new Random(9);
        for (int t = 0; t < 20; t++) {
            int requester = random.nextInt(N);
            NodeId target = randomId(random);
            RoutingTable table = net.tables[requester];
            Set<NodeId> gone = new HashSet<>(ids(table.closest(target, K)));
            SimNetwork.Responder deadSeeds = (peer, tgt, now, deadline) -> gone.contains(peer)
                    ? Reaction.fail(5)
                    : Reaction.answer(5, net.honestAnswer(peer, tgt));

            ClosestPeersLookup fromKSeeds = new ClosestPeersLookup(target, net.peer(requester).nodeId(), table.closest(target, K), K, 3,
                    id -> 1_000, id -> true);
            assertTrue(SimNetwork.run(fromKSeeds, deadSeeds, 3, false).result.isEmpty(), "k seeds, all gone: nobody answers");

            ClosestPeersLookup fromSeeds = new ClosestPeersLookup(target, net.peer(requester).nodeId(), table.lookupSeeds(target), K, 3,
                    id -> 1_000, id -> true);
            SimNetwork.Run run = SimNetwork.run(fromSeeds, deadSeeds, 3, false);
            Set<NodeId> except = new HashSet<>(gone);
            except.add(net.peer(requester).nodeId());
            // the live peers' tables still list the gone ones, so answers name fewer live peers
            // than k near the target: the closest live ones must be found, the rest may be farther
            assertEquals(K, run.result.size(), "k live peers answered, target " + t);
            assertTrue(run.result.stream().noneMatch(p -> gone.contains(p.nodeId())));
            assertEquals(ids(net.trueClosest(target, K / 2, except)), ids(run.result.subList(0, K / 2)), "target " + t);
            SimNetwork.assertStatsConsistent(run);
        }
    }
}
