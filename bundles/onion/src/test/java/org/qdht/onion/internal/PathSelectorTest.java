package org.qdht.onion.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.crypto.bc.Suites;

class PathSelectorTest {
    private static final CryptoSuite SUITE = Suites.xwingMlDsa65(new SecureRandom());
    private static final EncodedPublicKey KEY = SUITE.kem().generateKeyPair().publicKey();
    private final PathSelector selector = new PathSelector(new SecureRandom());

    private static RelayInfo relay(int id, String address) {
        byte[] b = new byte[NodeId.LENGTH];
        b[0] = (byte) id;
        b[1] = (byte) (id >> 8);
        return new RelayInfo(NodeId.of(b), PeerAddress.parse(address), KEY, 1);
    }

    @Test
    void choosesDistinctRelaysInDistinctNetworksAndNeverItself() {
        List<RelayInfo> known = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            known.add(relay(i, "udp://10." + (i % 5) + ".1." + i + ":4000")); // 5 networks of /16
        }
        NodeId self = known.get(0).nodeId();
        for (int round = 0; round < 200; round++) {
            List<RelayInfo> path = selector.choose(known, 3, self);
            assertEquals(3, path.size());
            Set<String> groups = new HashSet<>();
            Set<NodeId> ids = new HashSet<>();
            for (RelayInfo r : path) {
                assertTrue(groups.add(r.networkGroup()), "one relay per /16: " + path);
                assertTrue(ids.add(r.nodeId()));
                assertFalse(r.nodeId().equals(self));
            }
        }
    }

    @Test
    void fewerNetworksThanHopsGiveAShortPathRatherThanAWeakOne() {
        List<RelayInfo> known = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            known.add(relay(i, "udp://192.168." + (i % 2) + "." + i + ":4000")); // all in 192.168/16
        }
        assertEquals(1, selector.choose(known, 3, relay(99, "udp://10.0.0.1:1").nodeId()).size());
    }

    @Test
    void everyRelayIsChosenSometimes() {
        List<RelayInfo> known = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            known.add(relay(i, "udp://127.0.0.1:" + (5000 + i))); // loopback counts per port
        }
        Set<NodeId> used = new HashSet<>();
        for (int round = 0; round < 200; round++) {
            selector.choose(known, 3, relay(99, "udp://127.0.0.1:1").nodeId()).forEach(r -> used.add(r.nodeId()));
        }
        assertEquals(8, used.size(), "the choice is random over all relays");
    }
}
