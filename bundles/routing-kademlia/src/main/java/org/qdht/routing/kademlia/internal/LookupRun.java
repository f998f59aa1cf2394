package org.qdht.routing.kademlia.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.PeerInfo;
import org.qdht.kademlia.core.PeerLookup;
import org.qdht.kademlia.core.PeerLookup.Ask;
import org.qdht.kademlia.core.PeerLookup.Done;
import org.qdht.kademlia.core.PeerLookup.Wait;
import org.qdht.routing.kademlia.internal.RpcClient.Reply;

/**
 * Drives one {@link PeerLookup} over the network: sends what it asks for, feeds it the answers and
 * failures, wakes it at its deadlines, and completes when it is done or the operation times out.
 * The lookup itself is only touched under this object's lock. Thread safe.
 */
final class LookupRun {
    /** Feeds one answer into the lookup (plain or value lookup); called under the run's lock. */
    interface AnswerSink {
        void accept(PeerInfo from, Reply reply, long nowMillis);
    }

    private final PeerLookup lookup;
    private final Function<PeerInfo, CompletableFuture<Reply>> ask;
    private final AnswerSink sink;
    private final ScheduledExecutorService timer;
    private final LongSupplier clock;
    private final CompletableFuture<PeerLookup> done = new CompletableFuture<>();
    private long wakeAt = Long.MAX_VALUE;

    LookupRun(PeerLookup lookup, Function<PeerInfo, CompletableFuture<Reply>> ask, AnswerSink sink,
            ScheduledExecutorService timer, LongSupplier clock) {
        this.lookup = lookup;
        this.ask = ask;
        this.sink = sink;
        this.timer = timer;
        this.clock = clock;
    }

    /** Starts the lookup; the future completes with the finished lookup, or TIMEOUT. */
    CompletableFuture<PeerLookup> start(long timeoutMillis) {
        java.util.concurrent.ScheduledFuture<?> timeout = timer.schedule(() -> {
            synchronized (this) {
                lookup.finish();
            }
            done.completeExceptionally(new DhtException(DhtException.Reason.TIMEOUT, "lookup of "
                    + lookup.target().toShortString() + " did not finish within " + timeoutMillis + " ms"));
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        done.whenComplete((l, e) -> timeout.cancel(false)); // a finished lookup must not stay queued until its timeout
        pump();
        return done;
    }

    private void pump() {
        while (true) {
            PeerInfo toAsk;
            synchronized (this) {
                if (done.isDone()) {
                    return;
                }
                long now = clock.getAsLong();
                PeerLookup.Step step = lookup.next(now);
                if (step instanceof Done) {
                    done.complete(lookup);
                    return;
                }
                if (step instanceof Wait wait) {
                    scheduleWake(wait.untilMillis(), now);
                    return;
                }
                toAsk = ((Ask) step).peer();
            }
            send(toAsk);
        }
    }

    private void send(PeerInfo peer) {
        ask.apply(peer).whenComplete((reply, error) -> {
            synchronized (this) {
                long now = clock.getAsLong();
                if (error == null) {
                    sink.accept(peer, reply, now);
                } else {
                    lookup.onFailure(peer.nodeId(), now);
                }
            }
            pump();
        });
    }

    private void scheduleWake(long untilMillis, long now) {
        if (untilMillis == Long.MAX_VALUE || untilMillis >= wakeAt && wakeAt > now) {
            return;
        }
        wakeAt = untilMillis;
        timer.schedule(() -> {
            synchronized (this) {
                wakeAt = Long.MAX_VALUE;
            }
            pump();
        }, Math.max(1, untilMillis - now), TimeUnit.MILLISECONDS);
    }
}
