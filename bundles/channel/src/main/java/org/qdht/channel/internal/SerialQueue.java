package org.qdht.channel.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: each session's messages
 * reach their handlers in the order received while different sessions run in parallel. Bounded:
 * beyond {@code capacity} waiting tasks a submission is refused so a slow handler cannot hold an
 * unbounded backlog. Thread safe.
 */
final class SerialQueue {
    private final Executor executor;
    private final int capacity;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialQueue(Executor executor, int capacity) {
        this.executor = executor;
        this.capacity = capacity;
    }

    /** False if the queue is full (the caller counts the drop). */
    boolean submit(Runnable task) {
        synchronized (this) {
            if (tasks.size() >= capacity) {
                return false;
            }
            tasks.add(task);
            if (running) {
                return true;
            }
            running = true;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                running = false;
                tasks.clear();
            }
            return false;
        }
        return true;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            next.run();
        }
    }
}
