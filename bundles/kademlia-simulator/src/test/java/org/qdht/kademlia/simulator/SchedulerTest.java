package org.qdht.kademlia.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SchedulerTest {
    @Test
    void runsEventsByTimeThenInTheOrderTheyWereScheduled() {
        Scheduler s = new Scheduler(1);
        List<String> order = new ArrayList<>();
        s.at(300, () -> order.add("c"));
        s.at(100, () -> order.add("a1"));
        s.at(100, () -> order.add("a2"));
        s.at(200, () -> {
            order.add("b");
            s.after(0, () -> order.add("b-then")); // same time, scheduled later: runs after what is already due at 200
        });
        s.at(200, () -> order.add("b2"));
        s.runUntilIdle();
        assertEquals(List.of("a1", "a2", "b", "b2", "b-then", "c"), order);
        assertEquals(300, s.nowMicros());
        assertEquals(Scheduler.START_EPOCH_MILLIS, s.nowMillis());
    }

    @Test
    void runUntilStopsAtTheGivenTimeAndMovesTheClockThere() {
        Scheduler s = new Scheduler(1);
        List<Long> ran = new ArrayList<>();
        s.at(5_000, () -> ran.add(s.nowMicros()));
        s.at(20_000, () -> ran.add(s.nowMicros()));
        s.runUntil(10_000);
        assertEquals(List.of(5_000L), ran);
        assertEquals(10_000, s.nowMicros());
        assertEquals(1, s.pendingEvents());
    }

    @Test
    void theSameSeedGivesTheSameDraws() {
        LatencyModel model = AccessLinkLatency.defaults();
        Scheduler a = new Scheduler(99);
        Scheduler b = new Scheduler(99);
        for (int i = 0; i < 100; i++) {
            assertEquals(model.sampleMicros(model.nodeDelayMicros(a.random()), 0, a.random()),
                    model.sampleMicros(model.nodeDelayMicros(b.random()), 0, b.random()));
        }
    }

    @Test
    void latencyModelsHaveTheDocumentedMedians() {
        Scheduler s = new Scheduler(3);
        Distribution iid = new Distribution();
        Distribution access = new Distribution();
        LatencyModel links = AccessLinkLatency.defaults();
        for (int i = 0; i < 20_000; i++) {
            iid.add(LogNormalLatency.defaults().sampleMicros(0, 0, s.random()) / 1e3);
            access.add(links.sampleMicros(links.nodeDelayMicros(s.random()), links.nodeDelayMicros(s.random()), s.random()) / 1e3);
        }
        assertEquals(40, iid.percentile(0.5), 2);
        assertEquals(40, access.percentile(0.5), 4);
        assertEquals(126, iid.percentile(0.95), 10);
    }
}
