package org.qdht.kademlia.simulator;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.qdht.api.PeerAddress;

/**
 * Hands out simulated addresses {@code sim://10.a.b.c:port}. Honest nodes are spread over the
 * 65,536 /24s of 10.0.0.0/8 at random, so that, as on the Internet, most /24s hold one node and a
 * few hold two or three: the network-group limits of the routing table then bite as they would in
 * the field. An attacker can be confined to a few /24s (cheap: one rented block) or spread over
 * many (a botnet); {@link #attacker} gives the addresses of either. Nothing is ever sent to these
 * addresses: they are only strings that {@code NetworkGroups} parses.
 */
public final class AddressPlan {
    private static final int PORT = 4000;

    private final SplittableRandom random;
    private final Set<String> used = new HashSet<>();
    private final int[] attackerBlocks;
    private int attackerCount;

    /** @param attackerSubnets /24s the attacker owns; 0 spreads its nodes like honest ones */
    public AddressPlan(SplittableRandom random, int attackerSubnets) {
        this.random = random;
        this.attackerBlocks = new int[Math.max(0, attackerSubnets)];
        for (int i = 0; i < attackerBlocks.length; i++) {
            attackerBlocks[i] = random.nextInt(1 << 16);
        }
    }

    /** A fresh address in a random /24. */
    public PeerAddress honest() {
        while (true) {
            int block = random.nextInt(1 << 16);
            String location = "10." + (block >>> 8) + "." + (block & 0xFF) + "." + (1 + random.nextInt(254)) + ":" + PORT;
            if (used.add(location)) {
                return PeerAddress.of("sim", location);
            }
        }
    }

    /** An address for a malicious node: in one of the attacker's /24s, or spread if it has none. */
    public PeerAddress attacker() {
        if (attackerBlocks.length == 0) {
            return honest();
        }
        int n = attackerCount++;
        int block = attackerBlocks[n % attackerBlocks.length];
        int slot = n / attackerBlocks.length;
        // many nodes per /24: vary the host, then the port (one machine may run many nodes)
        String location = "10." + (block >>> 8) + "." + (block & 0xFF) + "." + (1 + slot % 254) + ":" + (PORT + slot / 254);
        used.add(location);
        return PeerAddress.of("sim", location);
    }
}
