package org.qdht.kademlia.simulator;

import org.qdht.api.NodeId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;

/**
 * Someone who signs records: a real signature key of a real suite, the NodeId it hashes to, and a
 * solved NodeId puzzle. The key comes from a seed, so that the same simulation seed gives the same
 * publishers and hence the same record placement.
 */
public final class PublisherIdentity {
    private final CryptoSuite suite;
    private final KeyPair key;
    private final NodeId id;
    private final long puzzleNonce;

    /** @param seed the 32-byte key seed (FIPS 204 xi for ML-DSA) */
    public PublisherIdentity(CryptoSuite suite, byte[] seed, int puzzleDifficulty) {
        this.suite = suite;
        try {
            this.key = suite.signatures().deriveKeyPair(seed);
        } catch (CryptoException e) {
            throw new IllegalStateException("cannot derive a " + suite.id() + " key: " + e.getMessage(), e);
        }
        this.id = NodeIdPuzzle.nodeIdOf(suite.id(), key.publicKey().key());
        this.puzzleNonce = NodeIdPuzzle.solve(id, puzzleDifficulty, n -> { });
    }

    public NodeId nodeId() {
        return id;
    }

    /** A record for {@code key}, signed with this identity's key. */
    public PublishedRecord sign(DhtKey key, byte[] value, long version, long expiresAtMillis) {
        Record unsigned = Record.unsigned(key, value, version, expiresAtMillis, id, suite.id(), this.key.publicKey().keyId(), false);
        try {
            byte[] signature = suite.signatures().sign(this.key, unsigned.toBeSigned()).bytes();
            return new PublishedRecord(unsigned.withSignature(signature), this.key.publicKey(), puzzleNonce);
        } catch (CryptoException e) {
            throw new IllegalStateException("cannot sign a record: " + e.getMessage(), e);
        }
    }
}
