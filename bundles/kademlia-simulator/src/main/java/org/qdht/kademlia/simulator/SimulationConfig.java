package org.qdht.kademlia.simulator;

import org.qdht.kademlia.core.KademliaParameters;

/**
 * Everything that shapes one simulated network.
 *
 * @param nodes              nodes that join
 * @param seed               the one seed of the run: ids, addresses, delays, losses, choices
 * @param parameters         every node's Kademlia parameters (lookups may use others)
 * @param conditions         latency and loss
 * @param maliciousFraction  share of the nodes the attacker owns (0 for none)
 * @param attackerSubnets    /24s the attacker's nodes sit in; 0 spreads them like honest nodes
 * @param attackerDropRate   share of requests an attacker's node drops
 * @param forgery            which forged records the attacker serves
 * @param puzzleDifficulty   NodeId puzzle bits a record publisher must prove
 * @param getQuorum          matching copies after which a get stops
 * @param joinBatchCap       most nodes that join at once while the network is built
 * @param timeoutFactor      the driver gives a request up after this many times the table's timeout
 */
public record SimulationConfig(int nodes, long seed, KademliaParameters parameters, NetworkConditions conditions,
        double maliciousFraction, int attackerSubnets, double attackerDropRate, Adversary.Forgery forgery, int puzzleDifficulty,
        int getQuorum, int joinBatchCap, int timeoutFactor) {

    public SimulationConfig {
        if (nodes < 2) {
            throw new IllegalArgumentException("a network needs at least 2 nodes");
        }
        if (timeoutFactor < 1) {
            throw new IllegalArgumentException("timeout factor must be at least 1");
        }
        if (maliciousFraction < 0 || maliciousFraction >= 1) {
            throw new IllegalArgumentException("malicious fraction must be in [0, 1)");
        }
    }

    /** An honest network with the core's defaults (k=20, alpha=3), default conditions, quorum 3. */
    public static SimulationConfig of(int nodes, long seed) {
        return new SimulationConfig(nodes, seed, KademliaParameters.defaults(), NetworkConditions.defaults(), 0, 0, 0.2,
                Adversary.Forgery.BOTH, 8, 3, 500, 2);
    }

    public SimulationConfig withParameters(KademliaParameters p) {
        return new SimulationConfig(nodes, seed, p, conditions, maliciousFraction, attackerSubnets, attackerDropRate, forgery,
                puzzleDifficulty, getQuorum, joinBatchCap, timeoutFactor);
    }

    public SimulationConfig withConditions(NetworkConditions c) {
        return new SimulationConfig(nodes, seed, parameters, c, maliciousFraction, attackerSubnets, attackerDropRate, forgery,
                puzzleDifficulty, getQuorum, joinBatchCap, timeoutFactor);
    }

    /** An attacker owning {@code fraction} of the nodes in {@code subnets} /24s (0: spread), dropping {@code dropRate} of requests. */
    public SimulationConfig withAdversary(double fraction, int subnets, double dropRate, Adversary.Forgery kind) {
        return new SimulationConfig(nodes, seed, parameters, conditions, fraction, subnets, dropRate, kind, puzzleDifficulty,
                getQuorum, joinBatchCap, timeoutFactor);
    }

    public SimulationConfig withTimeoutFactor(int factor) {
        return new SimulationConfig(nodes, seed, parameters, conditions, maliciousFraction, attackerSubnets, attackerDropRate,
                forgery, puzzleDifficulty, getQuorum, joinBatchCap, factor);
    }

    public SimulationConfig withQuorum(int quorum) {
        return new SimulationConfig(nodes, seed, parameters, conditions, maliciousFraction, attackerSubnets, attackerDropRate,
                forgery, puzzleDifficulty, quorum, joinBatchCap, timeoutFactor);
    }
}
