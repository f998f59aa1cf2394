package org.qdht.channel.internal;

import java.util.List;
import java.util.Optional;

import org.qdht.api.KeyId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;

/**
 * What a handshake needs from the node it runs for: its identity, its suites in order of
 * preference, a verifier for the peer's signatures, and its static KEM keys. Kept apart from the
 * I/O so the handshake can be tested on its own.
 */
interface LocalParty {
    /** The identity to sign with now; the node's active suite. */
    NodeIdentity identity();

    /** Installed suites, most preferred first (the active suite leads). Never empty while handshakes run. */
    List<SuiteId> offeredSuites();

    Optional<CryptoSuite> suite(SuiteId id);

    SignatureVerifier verifier();

    /** This node's static KEM key for {@code suite}, made on first use and kept while the node runs. */
    KeyPair staticKemKey(CryptoSuite suite);

    /** A static KEM key by its id, if this node still holds it. */
    Optional<KeyPair> staticKemKey(KeyId id);

    /** Fewest NodeId puzzle bits a peer must prove. */
    int minPeerPuzzleDifficulty();
}
