package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CountersTest {
    @Test
    void countsByNameAndSnapshotsSorted() {
        Counters c = new Counters();
        assertEquals(0, c.get("nothing"));
        c.add("b");
        c.add("a", 5);
        c.add("b");
        assertEquals(2, c.get("b"));
        assertEquals(5, c.get("a"));
        Map<String, Long> snapshot = c.snapshot();
        assertEquals(List.of("a", "b"), List.copyOf(snapshot.keySet()));
        c.add("a");
        assertEquals(5L, snapshot.get("a"), "a snapshot does not change");
    }

    @Test
    void countsFromManyThreads() throws InterruptedException {
        Counters c = new Counters();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    c.add("n" + (i % 3));
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        assertEquals(40_000, c.get("n0") + c.get("n1") + c.get("n2"));
    }

    @Test
    void lookupStatsAddUpAndKeepTheLongestChain() {
        assertEquals(new LookupStats(3, 2, 1, 4), new LookupStats(1, 1, 0, 4).plus(new LookupStats(2, 1, 1, 2)));
    }
}
