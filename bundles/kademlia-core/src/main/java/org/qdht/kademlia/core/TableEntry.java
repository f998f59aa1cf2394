package org.qdht.kademlia.core;

import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;

/**
 * One peer in the routing table: how to reach it, when it last answered, how often it failed in a
 * row and how fast it answers. Guarded by the table's lock; read through {@link RoutingTable}'s
 * snapshots.
 */
public final class TableEntry {
    private PeerInfo peer;
    private final String group;
    private final long addedAtMillis;
    private long lastSeenMillis;
    private int failures;
    private final RoundTripTimes roundTrips = new RoundTripTimes();

    TableEntry(PeerInfo peer, String group, long nowMillis) {
        this.peer = peer;
        this.group = group;
        this.addedAtMillis = nowMillis;
        this.lastSeenMillis = nowMillis;
    }

    public NodeId nodeId() {
        return peer.nodeId();
    }

    public PeerInfo peer() {
        return peer;
    }

    /** The network group the admission limits counted this entry in. */
    public String group() {
        return group;
    }

    public long addedAtMillis() {
        return addedAtMillis;
    }

    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    public int failures() {
        return failures;
    }

    /** Smoothed round trip in microseconds, -1 if never measured. */
    public long smoothedRoundTripMicros() {
        return roundTrips.smoothedMicros();
    }

    RoundTripTimes roundTrips() {
        return roundTrips;
    }

    void seen(long nowMillis) {
        lastSeenMillis = Math.max(lastSeenMillis, nowMillis);
        failures = 0;
    }

    void updatePeer(PeerInfo newer) {
        peer = newer;
    }

    int failed() {
        return ++failures;
    }
}
