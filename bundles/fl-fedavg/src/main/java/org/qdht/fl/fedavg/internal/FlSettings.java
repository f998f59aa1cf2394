package org.qdht.fl.fedavg.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.qdht.api.NodeId;
import org.qdht.api.learning.ModelRegistry;

/** The checked settings of {@link FlConfiguration}. Immutable. */
record FlSettings(List<String> nodes, Set<NodeId> trustedMasters, int chunkSize, long lifetimeMillis, int parallelFetches, int maxInvited,
        long inviteMillis, long roundMillis, double noiseMultiplier, double clipNorm, double delta, double epsilonBudget, int population,
        boolean secureAggregation) {

    /** @throws IllegalArgumentException naming the setting that is out of range */
    static FlSettings of(FlConfiguration c) {
        if (c.chunkSize() < 1_024 || c.chunkSize() > ModelRegistry.MAX_CHUNK_SIZE || c.chunkSize() % 4 != 0) {
            throw new IllegalArgumentException("chunkSize must be a multiple of 4 in 1024-" + ModelRegistry.MAX_CHUNK_SIZE + ", got " + c.chunkSize());
        }
        if (c.lifetimeHours() < 1) {
            throw new IllegalArgumentException("lifetimeHours must be at least 1, got " + c.lifetimeHours());
        }
        if (c.parallelFetches() < 1 || c.parallelFetches() > 64) {
            throw new IllegalArgumentException("parallelFetches must be 1-64, got " + c.parallelFetches());
        }
        Set<NodeId> masters = new HashSet<>();
        for (String hex : c.trustedMasters()) {
            try {
                masters.add(NodeId.fromHex(hex.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("trustedMasters: '" + hex + "' is not a NodeId (64 hex digits)");
            }
        }
        if (c.maxInvited() < 1 || c.inviteMillis() < 100 || c.roundSeconds() < 1 || c.population() < 1) {
            throw new IllegalArgumentException("maxInvited, inviteMillis (>= 100), roundSeconds and population must be positive");
        }
        if (!(c.noiseMultiplier() >= 0) || !(c.clipNorm() > 0) || !(c.delta() > 0 && c.delta() < 1) || !(c.epsilonBudget() > 0)) {
            throw new IllegalArgumentException("noiseMultiplier >= 0, clipNorm > 0, 0 < delta < 1 and epsilonBudget > 0 are required");
        }
        return new FlSettings(List.of(c.nodes()), Set.copyOf(masters), c.chunkSize(), c.lifetimeHours() * 3_600_000, c.parallelFetches(),
                c.maxInvited(), c.inviteMillis(), c.roundSeconds() * 1_000, c.noiseMultiplier(), c.clipNorm(), c.delta(), c.epsilonBudget(),
                c.population(), c.secureAggregation());
    }

    boolean serves(String node) {
        return nodes.isEmpty() || nodes.contains(node);
    }

    boolean trusts(NodeId master) {
        return trustedMasters.isEmpty() || trustedMasters.contains(master);
    }
}
