package org.qdht.transport.memory.internal;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The in-JVM "network" every in-memory transport of the bundle is attached to: finds transports by
 * node name and carries datagrams and stream openings between them on one thread
 * ({@code qdht-mem-switchboard}), after the configured latency, in the order they were sent.
 * Loss is decided at send time by one random generator seeded from the configuration, so the same
 * seed and the same sequence of sends lose the same datagrams.
 */
final class Switchboard implements AutoCloseable {
    private final MemorySettings settings;
    private final Map<String, MemoryTransport> byName = new ConcurrentHashMap<>();
    private final Random loss;
    private final ScheduledExecutorService carrier = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "qdht-mem-switchboard");
        t.setDaemon(true);
        return t;
    });

    Switchboard(MemorySettings settings) {
        this.settings = settings;
        this.loss = new Random(settings.seed());
    }

    MemorySettings settings() {
        return settings;
    }

    /** @return false if a transport of that node name is attached already */
    boolean attach(MemoryTransport transport) {
        return byName.putIfAbsent(transport.nodeName(), transport) == null;
    }

    void detach(MemoryTransport transport) {
        byName.remove(transport.nodeName(), transport);
    }

    /** The transport of node {@code name}, or null. */
    MemoryTransport find(String name) {
        return byName.get(name);
    }

    /** Whether the next datagram is lost. */
    synchronized boolean dropsNext() {
        return settings.lossRate() > 0 && loss.nextDouble() < settings.lossRate();
    }

    /** Runs {@code delivery} on the switchboard thread after the latency; after {@link #close()} it is lost. */
    void carry(Runnable delivery) {
        try {
            if (settings.latencyMillis() == 0) {
                carrier.execute(delivery);
            } else {
                carrier.schedule(delivery, settings.latencyMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException closed) {
            // the bundle is stopping: like a datagram in flight on a link that went down
        }
    }

    /** Drops whatever is in flight and ends the switchboard thread. */
    @Override
    public void close() {
        carrier.shutdownNow();
        try {
            carrier.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
