package org.qdht.kademlia.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;

/**
 * A lookup over d disjoint paths (S/Kademlia, Baumgart and Mies 2007): the start peers are dealt
 * out to d {@link ClosestPeersLookup}s, and no peer is asked by more than one path. An attacker
 * who answers with its own peers captures the paths it is asked on, but the lookup still reaches
 * the target if one path avoids it. Costs d times the requests of one path. Not thread safe.
 */
public final class DisjointPathsLookup implements PeerLookup {
    private final NodeId target;
    private final int numResults;
    private final List<ClosestPeersLookup> paths = new ArrayList<>();
    private final Set<NodeId> claimed = new HashSet<>();
    private final Map<NodeId, ClosestPeersLookup> askedBy = new HashMap<>();
    private int nextPath;

    public DisjointPathsLookup(NodeId target, NodeId self, List<PeerInfo> seeds, int numResults, int alpha, int pathCount,
            ToLongFunction<NodeId> timeoutMillis) {
        if (pathCount < 1) {
            throw new IllegalArgumentException("a lookup needs at least one path");
        }
        this.target = target;
        this.numResults = numResults;
        List<PeerInfo> sorted = new ArrayList<>(seeds);
        sorted.sort((a, b) -> target.compareDistance(a.nodeId(), b.nodeId()));
        List<List<PeerInfo>> dealt = new ArrayList<>();
        for (int i = 0; i < pathCount; i++) {
            dealt.add(new ArrayList<>());
        }
        for (int i = 0; i < sorted.size(); i++) {
            dealt.get(i % pathCount).add(sorted.get(i));
        }
        for (int i = 0; i < pathCount; i++) {
            paths.add(new ClosestPeersLookup(target, self, dealt.get(i), numResults, alpha, timeoutMillis, claimed::add));
        }
    }

    /** The lookup the parameters ask for: one path, or {@link KademliaParameters#disjointPaths()} of them. */
    public static PeerLookup of(NodeId target, NodeId self, List<PeerInfo> seeds, KademliaParameters p,
            ToLongFunction<NodeId> timeoutMillis) {
        if (p.disjointPaths() == 1) {
            return ClosestPeersLookup.of(target, self, seeds, p, timeoutMillis);
        }
        return new DisjointPathsLookup(target, self, seeds, p.k(), p.alpha(), p.disjointPaths(), timeoutMillis);
    }

    @Override
    public NodeId target() {
        return target;
    }

    @Override
    public Step next(long nowMillis) {
        long earliest = Long.MAX_VALUE;
        boolean allDone = true;
        // round robin, so that one path with many answers does not starve the others
        for (int i = 0; i < paths.size(); i++) {
            ClosestPeersLookup path = paths.get((nextPath + i) % paths.size());
            Step step = path.next(nowMillis);
            if (step instanceof Ask ask) {
                askedBy.put(ask.peer().nodeId(), path);
                nextPath = (nextPath + i + 1) % paths.size();
                return ask;
            }
            if (step instanceof Wait wait) {
                allDone = false;
                earliest = Math.min(earliest, wait.untilMillis());
            }
        }
        return allDone ? new Done() : new Wait(earliest);
    }

    @Override
    public void onResponse(NodeId from, List<PeerInfo> closer, long nowMillis) {
        ClosestPeersLookup path = askedBy.get(from);
        if (path != null) {
            path.onResponse(from, closer, nowMillis);
        }
    }

    @Override
    public void onFailure(NodeId from, long nowMillis) {
        ClosestPeersLookup path = askedBy.get(from);
        if (path != null) {
            path.onFailure(from, nowMillis);
        }
    }

    @Override
    public void finish() {
        paths.forEach(ClosestPeersLookup::finish);
    }

    @Override
    public boolean isFinished() {
        return paths.stream().allMatch(ClosestPeersLookup::isFinished);
    }

    /** The closest peers that answered on any path, closest first. */
    @Override
    public List<PeerInfo> result() {
        List<PeerInfo> all = new ArrayList<>();
        Set<NodeId> seen = new HashSet<>();
        for (ClosestPeersLookup path : paths) {
            for (PeerInfo p : path.result()) {
                if (seen.add(p.nodeId())) {
                    all.add(p);
                }
            }
        }
        all.sort((a, b) -> target.compareDistance(a.nodeId(), b.nodeId()));
        return all.size() > numResults ? new ArrayList<>(all.subList(0, numResults)) : all;
    }

    @Override
    public LookupStats stats() {
        LookupStats total = new LookupStats(0, 0, 0, 0);
        for (ClosestPeersLookup path : paths) {
            total = total.plus(path.stats());
        }
        return total;
    }

    /** The path results one by one, for a get that wants the value found on each path. */
    public List<List<PeerInfo>> pathResults() {
        List<List<PeerInfo>> out = new ArrayList<>();
        for (ClosestPeersLookup path : paths) {
            out.add(path.result());
        }
        return out;
    }
}
