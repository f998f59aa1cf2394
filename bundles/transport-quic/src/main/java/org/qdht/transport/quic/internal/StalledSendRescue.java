package org.qdht.transport.quic.internal;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Rescues stream data stuck in Kwik 0.10.8's send buffer. Kwik's stream output counts the "send
 * more" requests it has queued for its sender thread, and under CPU load a request can get lost
 * (reproduced here in about one of three 16 MiB transfers started right after twenty connections
 * closed): the data then sits in the buffer with nothing to send it, a writer waiting for buffer
 * space waits forever, and keep-alives would even keep the dead stream's connection open.
 * Queueing one more request is harmless, so while a stream is written and shortly after, this
 * queues one every {@value #PERIOD_MILLIS} ms through the private method Kwik itself uses for it.
 * A zero-length write would also queue one, but can leave an empty buffer ahead of the FIN and
 * lose the end of the stream. Without that method (another Kwik version) the rescue is off.
 */
final class StalledSendRescue {
    static final long PERIOD_MILLIS = 200;
    /** Looked up once per Kwik output class; a ClassValue does not keep Kwik's class loader alive. */
    private static final ClassValue<Optional<Method>> REQUEST_SEND = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> kwikOutputClass) {
            try {
                Method m = kwikOutputClass.getDeclaredMethod("scheduleSendStreamFrameRequest", boolean.class);
                m.setAccessible(true);
                return Optional.of(m);
            } catch (ReflectiveOperationException | RuntimeException notThisKwik) {
                return Optional.empty();
            }
        }
    };

    private final OutputStream kwikOutput;
    private final ScheduledExecutorService timer;
    private final BooleanSupplier writing;
    private final Method requestSend;
    private ScheduledFuture<?> task; // guarded by this
    private boolean stopped; // guarded by this
    private volatile long lastActivity;

    /** {@code writing}: whether a write call is in progress on the stream. */
    StalledSendRescue(OutputStream kwikOutput, ScheduledExecutorService timer, BooleanSupplier writing) {
        this.kwikOutput = kwikOutput;
        this.timer = timer;
        this.writing = writing;
        this.requestSend = REQUEST_SEND.get(kwikOutput.getClass()).orElse(null);
    }

    /** Whether this Kwik has the method the rescue needs. */
    boolean available() {
        return requestSend != null;
    }

    /** A write started or ended, or the output was closed: watch the stream for a while. */
    synchronized void activity() {
        lastActivity = System.nanoTime();
        if (task == null && !stopped && requestSend != null) {
            try {
                task = timer.scheduleWithFixedDelay(this::rescue, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException endpointStopped) {
                // nothing left to rescue
            }
        }
    }

    synchronized void stop() {
        stopped = true;
        cancel();
    }

    private void rescue() {
        try {
            requestSend.invoke(kwikOutput, true);
        } catch (ReflectiveOperationException | RuntimeException connectionGone) {
            stop();
            return;
        }
        boolean quiet = System.nanoTime() - lastActivity > TimeUnit.MILLISECONDS.toNanos(2 * PERIOD_MILLIS);
        if (quiet && !writing.getAsBoolean()) {
            synchronized (this) {
                cancel();
            }
        }
    }

    private void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
