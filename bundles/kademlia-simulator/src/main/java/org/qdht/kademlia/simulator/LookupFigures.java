package org.qdht.kademlia.simulator;

/**
 * What a batch of lookups achieved.
 *
 * @param label       the scenario
 * @param liveNodes   live nodes when the batch ran
 * @param lookups     lookups finished (a lookup whose origin left is not counted)
 * @param successes   lookups whose result held the live honest node truly closest to the target
 * @param hops        LookupStats.hops per lookup
 * @param messages    messages on the wire per lookup (requests and answers, retransmissions included)
 * @param bytes       bytes on the wire per lookup (DhtMessages encoding, without channel overhead)
 * @param latencyMillis simulated time from start to Done
 */
public record LookupFigures(String label, int liveNodes, int lookups, int successes, Distribution hops, Distribution messages,
        Distribution bytes, Distribution latencyMillis) {
    public double successRate() {
        return lookups == 0 ? Double.NaN : (double) successes / lookups;
    }
}
