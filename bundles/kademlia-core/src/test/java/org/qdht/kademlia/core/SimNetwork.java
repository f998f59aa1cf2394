package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;
import org.qdht.kademlia.core.PeerLookup.Ask;
import org.qdht.kademlia.core.PeerLookup.Done;
import org.qdht.kademlia.core.PeerLookup.Step;
import org.qdht.kademlia.core.PeerLookup.Wait;

/**
 * A static synthetic network for lookup tests: every peer has a real {@link RoutingTable} filled
 * from the whole network (k per bucket, the rest dropped), and answers a request with the k
 * closest entries of its table. {@link #run} is a driver that feeds a lookup with answers that
 * arrive after a latency, in time order, and checks the lookup's promises on the way.
 */
final class SimNetwork {
    final int k;
    final List<PeerInfo> peers;
    final Map<NodeId, Integer> index = new HashMap<>();
    final RoutingTable[] tables;

    SimNetwork(long seed, int size, int k) {
        this.k = k;
        Random random = new Random(seed);
        List<PeerInfo> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            PeerInfo p = TestPeers.memPeer(TestPeers.randomId(random));
            list.add(p);
            index.put(p.nodeId(), i);
        }
        this.peers = List.copyOf(list);
        KademliaParameters p = new KademliaParameters(k, 3, 1, 0, k, 100_000, 2, 1_000, 1, 60_000);
        tables = new RoutingTable[size];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        for (int i = 0; i < size; i++) {
            RoutingTable table = new RoutingTable(peers.get(i).nodeId(), p);
            int[] fill = new int[NodeId.BITS + 1];
            Collections.shuffle(order, random);
            for (int j : order) {
                if (j == i) {
                    continue;
                }
                int b = table.bucketIndex(peers.get(j).nodeId());
                if (fill[b] < k) {
                    table.admit(peers.get(j), 0);
                    fill[b]++;
                }
            }
            tables[i] = table;
        }
    }

    PeerInfo peer(int i) {
        return peers.get(i);
    }

    /** What an honest peer answers: the k closest peers of its table. */
    List<PeerInfo> honestAnswer(NodeId peer, NodeId target) {
        return tables[index.get(peer)].closest(target, k);
    }

    /** Where a lookup started by peer {@code requester} starts: the k closest of its table. */
    List<PeerInfo> seeds(int requester, NodeId target) {
        return tables[requester].closest(target, k);
    }

    /** The true closest peers to {@code target}, leaving out {@code except}. */
    List<PeerInfo> trueClosest(NodeId target, int count, Set<NodeId> except) {
        List<PeerInfo> candidates = new ArrayList<>();
        for (PeerInfo p : peers) {
            if (!except.contains(p.nodeId())) {
                candidates.add(p);
            }
        }
        return TestPeers.bruteForceClosest(candidates, target, count);
    }

    /** How a peer reacts to one request. */
    record Reaction(Kind kind, long delayMillis, List<PeerInfo> closer) {
        enum Kind { ANSWER, FAIL, SILENT }

        static Reaction answer(long delay, List<PeerInfo> closer) {
            return new Reaction(Kind.ANSWER, delay, closer);
        }

        static Reaction fail(long delay) {
            return new Reaction(Kind.FAIL, delay, List.of());
        }

        static Reaction silent() {
            return new Reaction(Kind.SILENT, 0, List.of());
        }
    }

    interface Responder {
        Reaction react(NodeId peer, NodeId target, long nowMillis, long deadlineMillis);
    }

    /** What the driver saw. */
    static final class Run {
        final Map<NodeId, long[]> asks = new LinkedHashMap<>(); // peer -> {askedAt, deadline}
        final Set<NodeId> settled = new HashSet<>();
        int answersDelivered;
        int failuresDelivered;
        int maxOutstanding;
        long endMillis;
        List<PeerInfo> result;
        LookupStats stats;

        int overdueUnsettled() {
            int n = 0;
            for (Map.Entry<NodeId, long[]> e : asks.entrySet()) {
                if (!settled.contains(e.getKey()) && e.getValue()[1] <= endMillis) {
                    n++;
                }
            }
            return n;
        }

        int waitingUnsettled() {
            return asks.size() - settled.size() - overdueUnsettled();
        }
    }

    private record Event(long time, long order, NodeId peer, Reaction reaction) {
    }

    /**
     * Drives {@code lookup} to its end. Checks on the way: no peer is asked twice, at most
     * {@code maxInFlight} requests are outstanding (asked, not settled, deadline not passed), a
     * wait is always in the future, and the lookup ends within a bounded number of steps. Answers
     * still on the way when the lookup ends are delivered afterwards if {@code deliverAfterDone}.
     */
    static Run run(PeerLookup lookup, Responder responder, int maxInFlight, boolean deliverAfterDone) {
        Run run = new Run();
        PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
        long now = 0;
        long order = 0;
        for (int iteration = 0; iteration < 1_000_000; iteration++) {
            Step step = lookup.next(now);
            if (step instanceof Ask ask) {
                NodeId id = ask.peer().nodeId();
                assertTrue(run.asks.put(id, new long[] { now, ask.deadlineMillis() }) == null, "asked twice: " + id);
                assertTrue(ask.deadlineMillis() > now, "deadline in the past");
                int outstanding = 0;
                for (Map.Entry<NodeId, long[]> e : run.asks.entrySet()) {
                    if (!run.settled.contains(e.getKey()) && e.getValue()[1] > now) {
                        outstanding++;
                    }
                }
                run.maxOutstanding = Math.max(run.maxOutstanding, outstanding);
                assertTrue(outstanding <= maxInFlight, outstanding + " requests outstanding, at most " + maxInFlight);
                Reaction r = responder.react(id, lookup.target(), now, ask.deadlineMillis());
                if (r.kind() != Reaction.Kind.SILENT) {
                    queue.add(new Event(now + Math.max(0, r.delayMillis()), order++, id, r));
                }
                continue;
            }
            if (step instanceof Done) {
                assertTrue(lookup.isFinished());
                run.endMillis = now;
                run.result = lookup.result();
                run.stats = lookup.stats();
                if (deliverAfterDone) {
                    while (!queue.isEmpty()) {
                        Event e = queue.poll();
                        now = Math.max(now, e.time);
                        deliver(lookup, run, e, now);
                        assertTrue(lookup.next(now) instanceof Done, "a finished lookup stays finished");
                    }
                    run.stats = lookup.stats(); // late answers still count; endMillis stays the time of Done
                }
                return run;
            }
            Wait wait = (Wait) step;
            assertTrue(wait.untilMillis() > now, "wait until " + wait.untilMillis() + " at " + now);
            assertTrue(wait.untilMillis() < Long.MAX_VALUE, "waiting for nothing");
            Event e = queue.peek();
            if (e != null && e.time <= wait.untilMillis()) {
                queue.poll();
                now = Math.max(now, e.time);
                deliver(lookup, run, e, now);
            } else {
                now = wait.untilMillis();
            }
        }
        fail("the lookup did not finish");
        return run;
    }

    private static void deliver(PeerLookup lookup, Run run, Event e, long now) {
        run.settled.add(e.peer);
        if (e.reaction.kind() == Reaction.Kind.ANSWER) {
            run.answersDelivered++;
            lookup.onResponse(e.peer, e.reaction.closer(), now);
        } else {
            run.failuresDelivered++;
            lookup.onFailure(e.peer, now);
        }
    }

    /** The stats a lookup reports must match what the driver saw (all answers delivered before Done). */
    static void assertStatsConsistent(Run run) {
        assertEquals(run.asks.size(), run.stats.requests(), "requests");
        assertEquals(run.answersDelivered, run.stats.responses(), "responses");
        assertEquals(run.failuresDelivered + run.overdueUnsettled(), run.stats.failures(), "failures");
        assertEquals(run.stats.requests(), run.stats.responses() + run.stats.failures() + run.waitingUnsettled());
    }
}
