package org.qdht.kademlia.simulator;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The discrete-event clock of a simulation: events run in order of time, and events at the same
 * time in the order they were scheduled, so that one seed always gives one history. Time is kept in
 * microseconds since the start of the run; the core's clock is epoch milliseconds, from
 * {@link #START_EPOCH_MILLIS} on, so that record expiries look like real ones. Single threaded.
 */
public final class Scheduler {
    /** 2026-01-01T00:00:00Z: simulated runs start here. */
    public static final long START_EPOCH_MILLIS = 1_767_225_600_000L;

    private static final class Event implements Comparable<Event> {
        final long atMicros;
        final long sequence;
        final Runnable action;

        Event(long atMicros, long sequence, Runnable action) {
            this.atMicros = atMicros;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public int compareTo(Event o) {
            int byTime = Long.compare(atMicros, o.atMicros);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(1 << 12);
    private final SplittableRandom random;
    private long nowMicros;
    private long sequence;
    private long executed;

    public Scheduler(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The one random source of the run: every draw happens in event order, so runs repeat. */
    public SplittableRandom random() {
        return random;
    }

    public long nowMicros() {
        return nowMicros;
    }

    /** The time as the core sees it. */
    public long nowMillis() {
        return START_EPOCH_MILLIS + nowMicros / 1_000;
    }

    /** Microseconds since the start at which the core's epoch time {@code epochMillis} begins. */
    public static long microsOf(long epochMillis) {
        return (epochMillis - START_EPOCH_MILLIS) * 1_000;
    }

    /** Runs {@code action} at {@code atMicros}, or now if that lies in the past. */
    public void at(long atMicros, Runnable action) {
        queue.add(new Event(Math.max(atMicros, nowMicros), sequence++, action));
    }

    public void after(long delayMicros, Runnable action) {
        at(nowMicros + Math.max(0, delayMicros), action);
    }

    /** Runs events until none is left. */
    public void runUntilIdle() {
        runUntil(Long.MAX_VALUE);
    }

    /** Runs the events due up to {@code endMicros}, then sets the clock there (if it is finite). */
    public void runUntil(long endMicros) {
        while (!queue.isEmpty() && queue.peek().atMicros <= endMicros) {
            Event e = queue.poll();
            nowMicros = e.atMicros;
            executed++;
            e.action.run();
        }
        if (endMicros != Long.MAX_VALUE && endMicros > nowMicros) {
            nowMicros = endMicros;
        }
    }

    public long executedEvents() {
        return executed;
    }

    public int pendingEvents() {
        return queue.size();
    }
}
