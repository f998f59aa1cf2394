package org.qdht.fl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SplitsTest {
    private static void assertEachUsedOnce(int[][] parts, int size) {
        boolean[] seen = new boolean[size];
        for (int[] p : parts) {
            for (int i : p) {
                assertFalse(seen[i], "example " + i + " given twice");
                seen[i] = true;
            }
        }
        for (int i = 0; i < size; i++) {
            assertTrue(seen[i], "example " + i + " given to nobody");
        }
    }

    @Test
    void iidGivesEveryExampleOnceInEqualParts() {
        Dataset train = RealMnist.train();
        int[][] parts = Splits.iid(train, 100, 600, 42);
        assertEquals(100, parts.length);
        for (int[] p : parts) {
            assertEquals(600, p.length);
        }
        assertEachUsedOnce(parts, 60_000);
        // IID: a client sees all ten digits
        for (int[] p : parts) {
            assertEquals(10, labelsOf(train, p));
        }
        assertArrayEquals(parts[7], Splits.iid(train, 100, 600, 42)[7]);
        assertFalse(Arrays.equals(parts[7], Splits.iid(train, 100, 600, 43)[7]));
    }

    @Test
    void pathologicalNonIidGivesMostClientsTwoDigitsAtMost() {
        Dataset train = RealMnist.train();
        int[][] parts = Splits.pathologicalNonIid(train, 200, 300, 2, 42);
        assertEquals(100, parts.length);
        assertEachUsedOnce(parts, 60_000);
        int twoOrFewer = 0;
        for (int[] p : parts) {
            assertEquals(600, p.length);
            int labels = labelsOf(train, p);
            assertTrue(labels <= 4, "two shards span at most four digits, got " + labels);
            if (labels <= 2) {
                twoOrFewer++;
            }
        }
        assertTrue(twoOrFewer >= 80, twoOrFewer + " of 100 clients hold two digits or fewer");
        assertArrayEquals(parts[3], Splits.pathologicalNonIid(train, 200, 300, 2, 42)[3]);
    }

    @Test
    void refusesSplitsLargerThanTheData() {
        Dataset small = new Dataset(new float[10], new byte[10], 1, 10);
        assertThrows(IllegalArgumentException.class, () -> Splits.iid(small, 3, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.pathologicalNonIid(small, 5, 2, 2, 1));
        assertEachUsedOnce(Splits.iid(small, 5, 2, 1), 10);
    }

    private static int labelsOf(Dataset data, int[] examples) {
        return (int) Arrays.stream(examples).map(data::label).distinct().count();
    }
}
