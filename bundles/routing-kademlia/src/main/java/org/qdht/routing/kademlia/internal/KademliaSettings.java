package org.qdht.routing.kademlia.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.qdht.api.PeerAddress;
import org.qdht.kademlia.core.KademliaParameters;

/** Validated Kademlia settings; see {@link KademliaConfiguration} for their meaning. */
record KademliaSettings(Set<String> nodes, List<PeerAddress> bootstrap, KademliaParameters parameters, int quorum,
        long refreshMillis, long republishMillis, long maxRecordLifetimeMillis, int minPublisherPuzzleDifficulty,
        long operationTimeoutMillis, long leaveMillis) {

    static KademliaSettings of(KademliaConfiguration c) {
        List<PeerAddress> bootstrap = new ArrayList<>();
        for (String text : c.bootstrap()) {
            if (text == null || text.isBlank()) {
                continue;
            }
            try {
                bootstrap.add(PeerAddress.parse(text.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kademlia setting bootstrap: '" + text + "' is not an address like udp://host:port");
            }
        }
        KademliaParameters parameters;
        try {
            parameters = new KademliaParameters(c.k(), c.alpha(), c.disjointPaths(), 8, c.maxPerGroupInBucket(),
                    c.maxPerGroupInTable(), 2, c.initialTimeoutMillis(), c.minTimeoutMillis(), c.maxTimeoutMillis());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kademlia setting " + e.getMessage());
        }
        require(c.quorum() >= 1 && c.quorum() <= c.k(), "quorum", c.quorum() + " must be 1..k");
        require(c.refreshSeconds() >= 1, "refreshSeconds", c.refreshSeconds() + " is below 1");
        require(c.republishSeconds() >= 1, "republishSeconds", c.republishSeconds() + " is below 1");
        require(c.maxRecordLifetimeHours() >= 1, "maxRecordLifetimeHours", c.maxRecordLifetimeHours() + " is below 1");
        require(c.minPublisherPuzzleDifficulty() >= 0 && c.minPublisherPuzzleDifficulty() <= 40, "minPublisherPuzzleDifficulty",
                c.minPublisherPuzzleDifficulty() + " is outside 0-40");
        require(c.operationTimeoutSeconds() >= 1, "operationTimeoutSeconds", c.operationTimeoutSeconds() + " is below 1");
        require(c.leaveSeconds() >= 0, "leaveSeconds", c.leaveSeconds() + " is negative");
        return new KademliaSettings(Set.of(c.nodes()), List.copyOf(bootstrap), parameters, c.quorum(), c.refreshSeconds() * 1000,
                c.republishSeconds() * 1000, c.maxRecordLifetimeHours() * 3_600_000, c.minPublisherPuzzleDifficulty(),
                c.operationTimeoutSeconds() * 1000, c.leaveSeconds() * 1000);
    }

    boolean serves(String node) {
        return nodes.isEmpty() || nodes.contains(node);
    }

    private static void require(boolean ok, String setting, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("kademlia setting " + setting + ": " + problem);
        }
    }
}
