package org.qdht.onion.core;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.KeyPair;
import org.qdht.crypto.bc.Suites;

/** Real suites from crypto-bc, and nodes with an onion key each. */
final class TestNodes {
    static final SecureRandom RANDOM = new SecureRandom();
    /** The default suite: X-Wing, 1,120-byte ciphertexts. */
    static final CryptoSuite XWING = Suites.xwingMlDsa65(RANDOM);
    /** ML-KEM-1024, 1,568-byte ciphertexts. */
    static final CryptoSuite MLKEM1024 = Suites.mlKem1024MlDsa87(RANDOM);

    private TestNodes() {
    }

    /** A node of the network: NodeId, address and current onion key. */
    record Node(NodeId id, PeerAddress address, KeyPair onionKey) {
        Hop hop() {
            return new Hop(id, address, onionKey.publicKey());
        }
    }

    static Node node(CryptoSuite suite, int number) {
        byte[] id = new byte[NodeId.LENGTH];
        RANDOM.nextBytes(id);
        PeerAddress address = PeerAddress.parse("udp://10.0." + number + "." + (number * 7 % 250 + 1) + ":4100");
        return new Node(NodeId.of(id), address, suite.kem().generateKeyPair());
    }

    static List<Node> nodes(CryptoSuite suite, int count) {
        List<Node> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(node(suite, i + 1));
        }
        return out;
    }

    static List<Hop> hops(List<Node> nodes) {
        return nodes.stream().map(Node::hop).toList();
    }

    static byte[] randomBytes(int length) {
        byte[] out = new byte[length];
        RANDOM.nextBytes(out);
        return out;
    }

    static byte[] flipBit(byte[] bytes, int bit) {
        byte[] out = bytes.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    /** Whether {@code needle} occurs anywhere in {@code haystack}. */
    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
