package org.qdht.kademlia.core;

import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;

/**
 * Decides whether a record from the network may be stored or returned: the cheap checks first
 * (expiry, size, the publisher's proof of work), the signature last, so that junk costs a hash and
 * not a post-quantum verification. Thread safe if the verifier is.
 */
public final class RecordCheck {
    /** Why a record was refused; {@link #counterName()} names the counter it adds to. */
    public enum Verdict {
        VALID("valid"),
        EXPIRED("expired"),
        /** Expiry further ahead than the network allows: such a record could never be displaced. */
        TOO_LONG_LIVED("too-long-lived"),
        OVERSIZED("oversized"),
        /** The publisher's NodeId puzzle does not prove the required work. */
        BAD_PUZZLE("bad-puzzle"),
        /** The signature does not verify: a forged or altered record. */
        FORGED("forged"),
        /** Signed under a suite this node does not have installed. */
        UNKNOWN_SUITE("unknown-suite");

        private final String counterName;

        Verdict(String counterName) {
            this.counterName = counterName;
        }

        public String counterName() {
            return "record-" + counterName;
        }
    }

    private final SignatureVerifier verifier;
    private final int puzzleDifficulty;
    private final long maxLifetimeMillis;
    private final int maxValueBytes;

    /**
     * @param puzzleDifficulty  zero bits a publisher's NodeId proof must have
     * @param maxLifetimeMillis how far ahead an expiry may lie
     * @param maxValueBytes     largest value accepted
     */
    public RecordCheck(SignatureVerifier verifier, int puzzleDifficulty, long maxLifetimeMillis, int maxValueBytes) {
        this.verifier = verifier;
        this.puzzleDifficulty = puzzleDifficulty;
        this.maxLifetimeMillis = maxLifetimeMillis;
        this.maxValueBytes = maxValueBytes;
    }

    public Verdict check(PublishedRecord published, long nowMillis) {
        Record record = published.record();
        if (record.isExpired(nowMillis)) {
            return Verdict.EXPIRED;
        }
        if (record.expiresAtMillis() - nowMillis > maxLifetimeMillis) {
            return Verdict.TOO_LONG_LIVED;
        }
        if (record.valueSize() > maxValueBytes) {
            return Verdict.OVERSIZED;
        }
        if (!NodeIdPuzzle.verify(record.publisher(), published.puzzleNonce(), puzzleDifficulty)) {
            return Verdict.BAD_PUZZLE;
        }
        try {
            return verifier.verify(record, published.publisherKey()) ? Verdict.VALID : Verdict.FORGED;
        } catch (CryptoException e) {
            return e.reason() == CryptoException.Reason.UNSUPPORTED ? Verdict.UNKNOWN_SUITE : Verdict.FORGED;
        }
    }

    public long maxLifetimeMillis() {
        return maxLifetimeMillis;
    }

    public int maxValueBytes() {
        return maxValueBytes;
    }
}
