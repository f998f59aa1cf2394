package org.qdht.node.internal;

import java.util.List;

import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SuiteSignature;

/**
 * A node's identity under one suite: its key pair, NodeId and puzzle proof, and the rotations that
 * led to it. Immutable; a suite switch makes a new one. Thread safe.
 */
final class LocalIdentity implements NodeIdentity {
    private final CryptoSuite suite;
    private final KeyPair keyPair;
    private final NodeId nodeId;
    private final long puzzleNonce;
    private final int puzzleDifficulty;
    private final List<KeyRotation> rotations;

    LocalIdentity(CryptoSuite suite, KeyPair keyPair, NodeId nodeId, long puzzleNonce, int puzzleDifficulty,
            List<KeyRotation> rotations) {
        this.suite = suite;
        this.keyPair = keyPair;
        this.nodeId = nodeId;
        this.puzzleNonce = puzzleNonce;
        this.puzzleDifficulty = puzzleDifficulty;
        this.rotations = List.copyOf(rotations);
    }

    @Override
    public NodeId nodeId() {
        return nodeId;
    }

    @Override
    public long puzzleNonce() {
        return puzzleNonce;
    }

    @Override
    public int puzzleDifficulty() {
        return puzzleDifficulty;
    }

    @Override
    public SuiteId suite() {
        return suite.id();
    }

    @Override
    public EncodedPublicKey signingKey() {
        return keyPair.publicKey();
    }

    @Override
    public SuiteSignature sign(byte[] message) throws CryptoException {
        return suite.signatures().sign(keyPair, message);
    }

    @Override
    public List<KeyRotation> rotations() {
        return rotations;
    }

    CryptoSuite cryptoSuite() {
        return suite;
    }

    KeyPair keyPair() {
        return keyPair;
    }

    @Override
    public String toString() {
        return "identity " + nodeId.toShortString() + " (" + suite.id() + ", key " + keyPair.publicKey().keyId().toHex() + ")";
    }
}
