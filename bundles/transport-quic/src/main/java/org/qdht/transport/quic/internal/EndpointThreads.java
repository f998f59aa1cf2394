package org.qdht.transport.quic.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one endpoint owns besides Kwik's: a timer (idle sweep, keep-alives), workers for
 * the blocking Kwik calls (handshakes, stream opening, closing) and one thread that hands inbound
 * datagrams to the handlers. All are daemon threads named {@code qdht-quic-<node>-...}; idle
 * workers and the inbound thread end after {@value #WORKER_KEEP_ALIVE_SECONDS} s.
 */
final class EndpointThreads {
    /** Handshakes to dead peers block a worker for the connect timeout, so there are several. */
    static final int WORKERS = 16;
    static final int WORKER_KEEP_ALIVE_SECONDS = 10;
    /** Inbound datagrams waiting for the handlers; beyond this they are dropped and counted. */
    static final int INBOUND_QUEUE = 1024;

    final ScheduledExecutorService timer;
    final ThreadPoolExecutor workers;
    final ThreadPoolExecutor inbound;

    EndpointThreads(String node, TrafficCounters counters) {
        timer = Executors.newSingleThreadScheduledExecutor(named("qdht-quic-" + node + "-timer"));
        workers = elastic(WORKERS, named("qdht-quic-" + node + "-worker"));
        // Kwik submits from its packet-processing thread: the rejection handler must never throw there
        RejectedExecutionHandler dropAndCount = (task, pool) -> {
            if (!pool.isShutdown()) {
                counters.rejected(TrafficCounters.INBOUND_QUEUE_FULL);
            }
        };
        inbound = new ThreadPoolExecutor(1, 1, WORKER_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(INBOUND_QUEUE), named("qdht-quic-" + node + "-inbound"), dropAndCount);
        inbound.allowCoreThreadTimeOut(true);
    }

    /** Interrupts what runs (handshakes in progress) and drops what waits. */
    void shutdownNow() {
        timer.shutdownNow();
        workers.shutdownNow();
        inbound.shutdownNow();
    }

    /**
     * A pool that reuses an idle thread, else starts one (up to {@code max}), else queues, and has
     * no thread when idle. A plain ThreadPoolExecutor either starts a thread per task up to its
     * core size even while others idle, or never grows past its core size while its queue takes
     * tasks; handing a task over only to a waiting thread gives the behaviour wanted here.
     */
    private static ThreadPoolExecutor elastic(int max, ThreadFactory threads) {
        LinkedTransferQueue<Runnable> queue = new LinkedTransferQueue<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean offer(Runnable task) {
                return tryTransfer(task); // refused unless a thread waits: the pool then starts one
            }
        };
        RejectedExecutionHandler waitInLine = (task, pool) -> {
            if (pool.isShutdown()) {
                throw new RejectedExecutionException("endpoint stopped");
            }
            queue.put(task); // all threads busy: the next free one takes it
        };
        return new ThreadPoolExecutor(0, max, WORKER_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, queue, threads, waitInLine);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
