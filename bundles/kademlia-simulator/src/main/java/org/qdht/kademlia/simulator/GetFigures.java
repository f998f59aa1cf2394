package org.qdht.kademlia.simulator;

/**
 * What a batch of gets achieved. A get succeeds when it returns the newest version the honest
 * publisher stored; otherwise it found nothing, an older version, a record signed by the attacker
 * for the honest key ({@code hijacked}: valid signature, wrong publisher), or, which must never
 * happen, a record whose signature does not verify ({@code forgedAccepted}).
 */
public record GetFigures(String label, int liveNodes, int gets, int successes, int notFound, int stale, int hijacked,
        int forgedAccepted, long forgedRefused, Distribution hops, Distribution messages, Distribution bytes,
        Distribution latencyMillis) {
    public double successRate() {
        return gets == 0 ? Double.NaN : (double) successes / gets;
    }
}
