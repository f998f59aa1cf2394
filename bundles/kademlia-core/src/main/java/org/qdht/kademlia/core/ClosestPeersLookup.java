package org.qdht.kademlia.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;

/**
 * One iterative Kademlia lookup path (after rust-libp2p's {@code ClosestPeersIter}). It keeps the
 * candidates sorted by distance to the target, asks the closest not yet asked with at most alpha
 * requests in flight, and finishes when the {@code numResults} closest candidates that did not
 * fail have all answered, or when no candidate is left to ask.
 *
 * <p>A request that passes its deadline no longer counts against alpha, so one slow peer does not
 * stall the lookup; its answer is still used if it comes. Candidates are bounded (four times
 * {@code numResults}): the farthest are dropped, since they cannot enter the result. Peers named
 * by a malicious answer cost at most that bound. A dropped candidate is one not asked yet, one
 * whose request failed or one another path took (these two are remembered, so that they are never
 * asked again); a peer that answered or may still answer is kept. Not thread safe.
 */
public final class ClosestPeersLookup implements PeerLookup {
    private enum State { NOT_ASKED, WAITING, OVERDUE, ANSWERED, FAILED, SKIPPED }

    private static final class Candidate {
        final PeerInfo peer;
        final int depth;
        State state = State.NOT_ASKED;
        long deadline;

        Candidate(PeerInfo peer, int depth) {
            this.peer = peer;
            this.depth = depth;
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final int numResults;
    private final int alpha;
    private final int maxCandidates;
    private final ToLongFunction<NodeId> timeoutMillis;
    private final Predicate<NodeId> claim;
    private final TreeMap<NodeId, Candidate> candidates;
    /** Failed or skipped peers dropped to make room: at most one per request or skip. */
    private final Set<NodeId> forgotten = new HashSet<>();
    private int inFlight;
    private boolean finished;
    private int requests;
    private int responses;
    private int failures;

    /**
     * @param self          this node, never a candidate
     * @param seeds         the peers to start from (usually the closest in the routing table)
     * @param numResults    how many closest peers the lookup must have heard from (k)
     * @param alpha         requests in flight
     * @param timeoutMillis the timeout for a request to a peer (adaptive, from the routing table)
     * @param claim         asked before a peer is asked; false skips it (another disjoint path has it)
     */
    public ClosestPeersLookup(NodeId target, NodeId self, List<PeerInfo> seeds, int numResults, int alpha,
            ToLongFunction<NodeId> timeoutMillis, Predicate<NodeId> claim) {
        if (numResults < 1 || alpha < 1) {
            throw new IllegalArgumentException("numResults and alpha must be positive");
        }
        this.target = target;
        this.self = self;
        this.numResults = numResults;
        this.alpha = alpha;
        this.maxCandidates = 4 * numResults;
        this.timeoutMillis = timeoutMillis;
        this.claim = claim;
        this.candidates = new TreeMap<>(target::compareDistance);
        for (PeerInfo seed : seeds) {
            offer(seed, 1);
        }
    }

    /** A single-path lookup that asks any peer. */
    public static ClosestPeersLookup of(NodeId target, NodeId self, List<PeerInfo> seeds, KademliaParameters p,
            ToLongFunction<NodeId> timeoutMillis) {
        return new ClosestPeersLookup(target, self, seeds, p.k(), p.alpha(), timeoutMillis, id -> true);
    }

    @Override
    public NodeId target() {
        return target;
    }

    @Override
    public Step next(long nowMillis) {
        if (finished) {
            return new Done();
        }
        long earliestDeadline = Long.MAX_VALUE;
        for (Candidate c : candidates.values()) {
            if (c.state == State.WAITING) {
                if (nowMillis >= c.deadline) {
                    c.state = State.OVERDUE;
                    inFlight--;
                } else {
                    earliestDeadline = Math.min(earliestDeadline, c.deadline);
                }
            }
        }
        if (closestHaveAnswered()) {
            finished = true;
            return new Done();
        }
        if (inFlight < alpha) {
            for (Candidate c : candidates.values()) {
                if (c.state == State.NOT_ASKED) {
                    if (!claim.test(c.peer.nodeId())) {
                        c.state = State.SKIPPED;
                        continue;
                    }
                    c.state = State.WAITING;
                    c.deadline = nowMillis + timeoutMillis.applyAsLong(c.peer.nodeId());
                    inFlight++;
                    requests++;
                    return new Ask(c.peer, c.deadline);
                }
            }
        }
        if (inFlight == 0) {
            finished = true; // nothing in flight, nothing left worth asking
            return new Done();
        }
        return new Wait(earliestDeadline);
    }

    @Override
    public void onResponse(NodeId from, List<PeerInfo> closer, long nowMillis) {
        Candidate c = candidates.get(from);
        if (c == null || !(c.state == State.WAITING || c.state == State.OVERDUE)) {
            return; // unsolicited, or dropped as too far: ignore rather than trust
        }
        if (c.state == State.WAITING) {
            inFlight--;
        }
        c.state = State.ANSWERED;
        responses++;
        if (finished) {
            return;
        }
        for (PeerInfo peer : closer) {
            offer(peer, c.depth + 1);
        }
    }

    @Override
    public void onFailure(NodeId from, long nowMillis) {
        Candidate c = candidates.get(from);
        if (c == null || !(c.state == State.WAITING || c.state == State.OVERDUE)) {
            return;
        }
        if (c.state == State.WAITING) {
            inFlight--;
        }
        c.state = State.FAILED;
        failures++;
    }

    @Override
    public void finish() {
        finished = true;
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public List<PeerInfo> result() {
        List<PeerInfo> out = new ArrayList<>(numResults);
        for (Candidate c : candidates.values()) {
            if (c.state == State.ANSWERED) {
                out.add(c.peer);
                if (out.size() == numResults) {
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public LookupStats stats() {
        int hops = 0;
        for (Candidate c : candidates.values()) {
            if (c.state == State.ANSWERED) {
                hops = c.depth;
                break;
            }
        }
        return new LookupStats(requests, responses, failures + countOverdue(), hops);
    }

    /** Depth (hops) at which {@code peer} was learned, or 0 if it is not a candidate. */
    public int depthOf(NodeId peer) {
        Candidate c = candidates.get(peer);
        return c == null ? 0 : c.depth;
    }

    private int countOverdue() {
        int n = 0;
        for (Candidate c : candidates.values()) {
            if (c.state == State.OVERDUE) {
                n++;
            }
        }
        return n;
    }

    private boolean closestHaveAnswered() {
        int answered = 0;
        for (Candidate c : candidates.values()) {
            switch (c.state) {
                case ANSWERED:
                    if (++answered >= numResults) {
                        return true;
                    }
                    break;
                case FAILED:
                case OVERDUE:
                case SKIPPED:
                    break;
                default:
                    return false;
            }
        }
        return false; // fewer than numResults answered: finishes when nothing is left to ask
    }

    private void offer(PeerInfo peer, int depth) {
        NodeId id = peer.nodeId();
        if (id.equals(self) || candidates.containsKey(id) || forgotten.contains(id)) {
            return;
        }
        if (candidates.size() >= maxCandidates && !makeRoomFor(id)) {
            return;
        }
        candidates.put(id, new Candidate(peer, depth));
    }

    /**
     * Drops the farthest candidate that lies farther than {@code id} and that the lookup can do
     * without: one not asked yet, one whose request failed, one another path took. Never one that
     * answered or may still answer.
     *
     * @return false if there is none, and {@code id} must not be added
     */
    private boolean makeRoomFor(NodeId id) {
        Iterator<Map.Entry<NodeId, Candidate>> farthestFirst = candidates.descendingMap().entrySet().iterator();
        while (farthestFirst.hasNext()) {
            Map.Entry<NodeId, Candidate> e = farthestFirst.next();
            if (target.compareDistance(id, e.getKey()) >= 0) {
                return false;
            }
            State state = e.getValue().state;
            if (state == State.NOT_ASKED || state == State.FAILED || state == State.SKIPPED) {
                if (state != State.NOT_ASKED) {
                    forgotten.add(e.getKey());
                }
                farthestFirst.remove();
                return true;
            }
        }
        return false;
    }
}
