package org.qdht.kademlia.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.qdht.api.PeerAddress;
import org.qdht.kademlia.core.NetworkGroups;

class AddressPlanTest {
    @Test
    void honestNodesSpreadOverManySlash24sAndAddressesAreUnique() {
        AddressPlan plan = new AddressPlan(new SplittableRandom(1), 0);
        Set<PeerAddress> addresses = new HashSet<>();
        Set<String> groups = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            PeerAddress a = plan.honest();
            assertEquals("sim", a.scheme());
            addresses.add(a);
            groups.add(NetworkGroups.groupOf(a));
        }
        assertEquals(10_000, addresses.size());
        assertTrue(groups.size() > 9_000, "10,000 nodes in 65,536 /24s mostly get a /24 each: " + groups.size());
    }

    @Test
    void anAttackerWithFewSubnetsStaysInThem() {
        AddressPlan plan = new AddressPlan(new SplittableRandom(1), 4);
        Set<String> groups = new HashSet<>();
        Set<PeerAddress> addresses = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            PeerAddress a = plan.attacker();
            addresses.add(a);
            groups.add(NetworkGroups.groupOf(a));
        }
        assertEquals(4, groups.size());
        assertEquals(2_000, addresses.size());
    }
}
