package org.qdht.channel.internal;

import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.ChannelException.Reason;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.crypto.SuiteSignature;

/** Checks what a peer proves in its sealed handshake payload: key, NodeId puzzle, signature, identity. */
final class PeerCheck {
    private PeerCheck() {
    }

    /** The peer's NodeId, once its key, puzzle and transcript signature all check out. */
    static NodeId verify(LocalParty local, Packets.Signed signed, byte[] toBeSigned) throws ChannelException {
        Packets.Identity id = signed.identity();
        EncodedPublicKey key = id.signingKey();
        if (key.purpose() != KeyPurpose.SIGNATURE) {
            throw new ChannelException(Reason.MALFORMED, "the peer's identity key is not a signature key");
        }
        SuiteSignature signature = signed.signature();
        if (!signature.suite().equals(key.suite()) || !signature.keyId().equals(key.keyId())) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "the peer's signature does not name its identity key");
        }
        if (id.puzzleDifficulty() > NodeIdPuzzle.MAX_DIFFICULTY) {
            throw new ChannelException(Reason.MALFORMED, "NodeId puzzle difficulty " + id.puzzleDifficulty() + " is out of range");
        }
        if (id.puzzleDifficulty() < local.minPeerPuzzleDifficulty()) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "the peer's NodeId proves " + id.puzzleDifficulty()
                    + " puzzle bits, this node asks for at least " + local.minPeerPuzzleDifficulty());
        }
        NodeId nodeId = NodeIdPuzzle.nodeIdOf(key.suite(), key.key());
        if (!NodeIdPuzzle.verify(nodeId, id.puzzleNonce(), id.puzzleDifficulty())) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "the peer's NodeId puzzle solution is wrong");
        }
        try {
            if (local.verifier().suite(key.suite()).isEmpty()) {
                throw new ChannelException(Reason.UNKNOWN_SUITE, "the peer signs with suite " + key.suite().name()
                        + ", which this node does not hold");
            }
            if (!local.verifier().verify(key, toBeSigned, signature)) {
                throw new ChannelException(Reason.AUTHENTICATION_FAILED, "the peer's handshake signature does not verify");
            }
        } catch (CryptoException e) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "the peer's handshake signature cannot be checked: " + e.getMessage(), e);
        }
        return nodeId;
    }

    /**
     * Whether {@code presented} is {@code expected} itself, or linked to it by signed rotations in
     * either direction: forward when the peer switched to a new suite, backward when it fell back to
     * a key it had handed over from (its earlier key signed the rotation, so both are the peer's).
     */
    static boolean isSameOrRotatedFrom(SignatureVerifier verifier, NodeId expected, EncodedPublicKey presented,
            List<KeyRotation> rotations) {
        NodeId presentedId = NodeIdPuzzle.nodeIdOf(presented.suite(), presented.key());
        if (presentedId.equals(expected)) {
            return true;
        }
        List<NodeId[]> links = new java.util.ArrayList<>();
        for (KeyRotation r : rotations) {
            if (verifies(verifier, r)) {
                links.add(new NodeId[] {idOf(r.oldKey()), idOf(r.newKey())});
            }
        }
        return reaches(links, expected, presentedId) || reaches(links, presentedId, expected);
    }

    private static boolean reaches(List<NodeId[]> links, NodeId from, NodeId to) {
        java.util.Set<NodeId> seen = new java.util.HashSet<>(List.of(from));
        java.util.Deque<NodeId> frontier = new java.util.ArrayDeque<>(List.of(from));
        while (!frontier.isEmpty()) {
            NodeId at = frontier.poll();
            for (NodeId[] link : links) {
                if (link[0].equals(at) && seen.add(link[1])) {
                    if (link[1].equals(to)) {
                        return true;
                    }
                    frontier.add(link[1]);
                }
            }
        }
        return false;
    }

    private static NodeId idOf(EncodedPublicKey key) {
        return NodeIdPuzzle.nodeIdOf(key.suite(), key.key());
    }

    private static boolean verifies(SignatureVerifier verifier, KeyRotation rotation) {
        try {
            return verifier.verify(rotation);
        } catch (CryptoException e) {
            return false;
        }
    }

    /** The first of {@code ours} (preference order) that {@code theirs} also lists. */
    static Optional<SuiteId> best(List<SuiteId> ours, List<SuiteId> theirs) {
        return ours.stream().filter(theirs::contains).findFirst();
    }
}
