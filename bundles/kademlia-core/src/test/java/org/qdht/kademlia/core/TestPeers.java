package org.qdht.kademlia.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.routing.PeerInfo;

/** NodeIds, peers and a brute-force XOR metric for the tests, independent of the code under test. */
final class TestPeers {
    private TestPeers() {
    }

    static NodeId randomId(Random random) {
        byte[] b = new byte[NodeId.LENGTH];
        random.nextBytes(b);
        return NodeId.of(b);
    }

    /** An id that shares exactly {@code prefixBits} leading bits with {@code self}, random after them. */
    static NodeId idWithPrefix(NodeId self, int prefixBits, Random random) {
        byte[] own = self.bytes();
        byte[] out = new byte[NodeId.LENGTH];
        random.nextBytes(out);
        for (int bit = 0; bit < NodeId.BITS; bit++) {
            int mask = 0x80 >>> (bit % 8);
            boolean ownBit = (own[bit / 8] & mask) != 0;
            boolean set;
            if (bit < prefixBits) {
                set = ownBit;
            } else if (bit == prefixBits) {
                set = !ownBit;
            } else {
                continue;
            }
            out[bit / 8] = (byte) (set ? out[bit / 8] | mask : out[bit / 8] & ~mask);
        }
        return NodeId.of(out);
    }

    static PeerInfo peer(NodeId id, String... addresses) {
        List<PeerAddress> list = new ArrayList<>();
        for (String a : addresses) {
            list.add(PeerAddress.parse(a));
        }
        return PeerInfo.of(id, list);
    }

    /** A peer with an in-memory address of its own: one network group per peer. */
    static PeerInfo memPeer(NodeId id) {
        return peer(id, "mem://" + id.toHex());
    }

    /** The XOR distance as a number, computed without {@link NodeId#compareDistance}. */
    static BigInteger distance(NodeId a, NodeId b) {
        BigInteger x = new BigInteger(1, a.bytes());
        BigInteger y = new BigInteger(1, b.bytes());
        return x.xor(y);
    }

    static Comparator<PeerInfo> byDistanceTo(NodeId target) {
        return Comparator.comparing(p -> distance(p.nodeId(), target));
    }

    /** The {@code count} peers closest to {@code target}, by a full sort. */
    static List<PeerInfo> bruteForceClosest(List<PeerInfo> peers, NodeId target, int count) {
        List<PeerInfo> sorted = new ArrayList<>(peers);
        sorted.sort(byDistanceTo(target));
        return new ArrayList<>(sorted.subList(0, Math.min(count, sorted.size())));
    }

    static List<NodeId> ids(List<PeerInfo> peers) {
        return peers.stream().map(PeerInfo::nodeId).toList();
    }

    static boolean isSortedByDistance(List<PeerInfo> peers, NodeId target) {
        for (int i = 1; i < peers.size(); i++) {
            if (distance(peers.get(i - 1).nodeId(), target).compareTo(distance(peers.get(i).nodeId(), target)) > 0) {
                return false;
            }
        }
        return true;
    }
}
