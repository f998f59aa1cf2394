package org.qdht.api.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongConsumer;

import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;

/**
 * How a NodeId is derived from a signature key, and the proof of work that makes each identity
 * cost something (after the static puzzle of S/Kademlia), so that a Sybil attacker cannot mint
 * thousands of identities for free. Every node computes and checks these the same way.
 *
 * <ul>
 * <li>{@code NodeId = SHA-256("qdht/node-id/v1" || u16 suite code || public key)}: choosing a NodeId
 *     near a target means generating key pairs until one lands there.</li>
 * <li>The proof is a 64-bit nonce such that
 *     {@code SHA-256("qdht/node-id-puzzle/v1" || NodeId || u64 nonce)} starts with at least
 *     {@code difficulty} zero bits: about 2^difficulty hashes to find, one hash to check.</li>
 * </ul>
 * Stateless and thread safe.
 */
public final class NodeIdPuzzle {
    /** Largest difficulty a node accepts or asks for; beyond it a proof takes days. */
    public static final int MAX_DIFFICULTY = 40;

    private static final byte[] ID_LABEL = "qdht/node-id/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUZZLE_LABEL = "qdht/node-id-puzzle/v1".getBytes(StandardCharsets.US_ASCII);

    private NodeIdPuzzle() {
    }

    /** The NodeId of a signature key of {@code suite}. */
    public static NodeId nodeIdOf(SuiteId suite, byte[] signaturePublicKey) {
        MessageDigest sha = sha256();
        sha.update(ID_LABEL);
        sha.update((byte) (suite.code() >>> 8));
        sha.update((byte) suite.code());
        sha.update(signaturePublicKey);
        return NodeId.of(sha.digest());
    }

    /** True if {@code nonce} proves {@code difficulty} bits of work for {@code nodeId}. */
    public static boolean verify(NodeId nodeId, long nonce, int difficulty) {
        checkDifficulty(difficulty);
        return leadingZeroBits(puzzleHash(sha256(), nodeId.bytes(), nonce)) >= difficulty;
    }

    /**
     * Finds the smallest nonce that proves {@code difficulty} bits for {@code nodeId}.
     *
     * @param progress told the number of nonces tried every 2^20 attempts (for long proofs)
     */
    public static long solve(NodeId nodeId, int difficulty, LongConsumer progress) {
        checkDifficulty(difficulty);
        MessageDigest sha = sha256();
        byte[] id = nodeId.bytes();
        for (long nonce = 0; ; nonce++) {
            if (leadingZeroBits(puzzleHash(sha, id, nonce)) >= difficulty) {
                return nonce;
            }
            if ((nonce & 0xFFFFF) == 0xFFFFF) {
                progress.accept(nonce + 1);
            }
        }
    }

    private static byte[] puzzleHash(MessageDigest sha, byte[] nodeId, long nonce) {
        sha.reset();
        sha.update(PUZZLE_LABEL);
        sha.update(nodeId);
        for (int shift = 56; shift >= 0; shift -= 8) {
            sha.update((byte) (nonce >>> shift));
        }
        return sha.digest();
    }

    private static int leadingZeroBits(byte[] hash) {
        int bits = 0;
        for (byte b : hash) {
            if (b == 0) {
                bits += 8;
            } else {
                return bits + Integer.numberOfLeadingZeros(b & 0xFF) - 24;
            }
        }
        return bits;
    }

    private static void checkDifficulty(int difficulty) {
        if (difficulty < 0 || difficulty > MAX_DIFFICULTY) {
            throw new IllegalArgumentException("puzzle difficulty must be 0-" + MAX_DIFFICULTY + " bits, got " + difficulty);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
