package org.qdht.onion.internal;

import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;

/**
 * The checks a client makes on a record an exit returned, the same every storing node makes: the
 * exit is one stranger on the path and may answer with a forged, substituted or stale record.
 * Thread safe (stateless).
 */
final class ExitAnswers {
    private ExitAnswers() {
    }

    /**
     * @return whether {@code published} is a record for {@code key}, unexpired at {@code nowMillis},
     *         whose publisher shows {@code minPuzzleDifficulty} bits of work and whose signature
     *         verifies; false (never an exception) for anything else, a suite the node lacks included
     */
    static boolean acceptable(PublishedRecord published, DhtKey key, SignatureVerifier verifier, int minPuzzleDifficulty, long nowMillis) {
        Record r = published.record();
        try {
            return r.key().equals(key) && !r.isExpired(nowMillis)
                    && NodeIdPuzzle.verify(r.publisher(), published.puzzleNonce(), minPuzzleDifficulty)
                    && verifier.verify(r, published.publisherKey());
        } catch (Exception e) {
            return false;
        }
    }
}
