package org.qdht.api.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;

class NodeIdPuzzleTest {
    static final byte[] KEY = new byte[1952];

    @Test
    void nodeIdDependsOnSuiteAndKey() {
        NodeId a = NodeIdPuzzle.nodeIdOf(SuiteId.XWING_MLDSA65, KEY);
        assertEquals(a, NodeIdPuzzle.nodeIdOf(SuiteId.XWING_MLDSA65, KEY.clone()));
        assertNotEquals(a, NodeIdPuzzle.nodeIdOf(SuiteId.MLKEM768_MLDSA65, KEY));
        byte[] other = KEY.clone();
        other[0] = 1;
        assertNotEquals(a, NodeIdPuzzle.nodeIdOf(SuiteId.XWING_MLDSA65, other));
    }

    @Test
    void solvedNonceVerifiesAtItsDifficultyAndNotForAnotherId() {
        NodeId id = NodeIdPuzzle.nodeIdOf(SuiteId.XWING_MLDSA65, KEY);
        long nonce = NodeIdPuzzle.solve(id, 12, tried -> { });
        assertTrue(NodeIdPuzzle.verify(id, nonce, 12));
        assertTrue(NodeIdPuzzle.verify(id, nonce, 0));
        NodeId other = NodeIdPuzzle.nodeIdOf(SuiteId.MLKEM768_MLDSA65, KEY);
        // a proof for one id is (with overwhelming likelihood) no proof for another
        assertFalse(NodeIdPuzzle.verify(other, nonce, 12) && NodeIdPuzzle.verify(other, nonce, 20));
        // the smallest solution: every smaller nonce fails
        for (long n = 0; n < nonce; n++) {
            assertFalse(NodeIdPuzzle.verify(id, n, 12));
        }
    }

    @Test
    void difficultyOutsideTheRangeIsRefused() {
        NodeId id = NodeIdPuzzle.nodeIdOf(SuiteId.XWING_MLDSA65, KEY);
        assertThrows(IllegalArgumentException.class, () -> NodeIdPuzzle.verify(id, 0, NodeIdPuzzle.MAX_DIFFICULTY + 1));
        assertThrows(IllegalArgumentException.class, () -> NodeIdPuzzle.verify(id, 0, -1));
    }
}
