package org.qdht.api.crypto;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;

/**
 * A node's long-term identity: its signature key under the active suite and the NodeId derived
 * from it (hash of public key and suite, with the S/Kademlia static puzzle solved). Registered per
 * node with the service property {@code qdht.node.name}. The secret key never leaves the provider:
 * callers ask it to sign. Thread safe.
 */
@ProviderType
public interface NodeIdentity {
    /** {@link NodeIdPuzzle#nodeIdOf} of the current signing key. */
    NodeId nodeId();

    /** The nonce that solves {@link NodeIdPuzzle} for {@link #nodeId()} at {@link #puzzleDifficulty()}. */
    long puzzleNonce();

    /** Zero bits of work the nonce proves. */
    int puzzleDifficulty();

    SuiteId suite();

    /** The current public signature key. */
    EncodedPublicKey signingKey();

    /** Signs {@code message} with the current identity key. */
    SuiteSignature sign(byte[] message) throws CryptoException;

    /** Every rotation this identity has gone through, oldest first; each is signed by the key it replaces. */
    List<KeyRotation> rotations();
}
