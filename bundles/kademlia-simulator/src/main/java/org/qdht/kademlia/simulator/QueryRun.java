package org.qdht.kademlia.simulator;

import java.util.function.Consumer;

import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.Request;
import org.qdht.kademlia.core.LookupStats;
import org.qdht.kademlia.core.PeerLookup;
import org.qdht.kademlia.core.PeerLookup.Ask;
import org.qdht.kademlia.core.PeerLookup.Wait;

/**
 * The driver of one iterative query on one node: it does exactly what the core's
 * {@link PeerLookup} asks (send for every Ask, sleep until a Wait's time or the next answer, stop
 * at Done) and feeds it answers and failures. Request timeouts are the Ask's deadlines, which the
 * lookup took from {@code RoutingTable.timeoutMillis}. Subclasses say which request to send and
 * what an answer means. Single threaded.
 */
abstract class QueryRun {
    protected final SimNode origin;
    protected final Scheduler scheduler;
    private final Traffic traffic = new Traffic();
    private final long startMicros;
    private long wakeAtMillis = Long.MAX_VALUE;
    private long finishedMicros = -1;
    private Consumer<QueryRun> whenDone = r -> { };

    QueryRun(SimNode origin) {
        this.origin = origin;
        this.scheduler = origin.network().scheduler();
        this.startMicros = scheduler.nowMicros();
    }

    abstract PeerLookup lookup();

    abstract Request request(int requestId, PeerInfo peer);

    /** Hands an answer to the state machine. */
    abstract void answered(PeerInfo peer, Answer answer, long nowMillis);

    void failed(NodeId peer, long nowMillis) {
        lookup().onFailure(peer, nowMillis);
    }

    /** Called once when the lookup is done, before the listener. */
    void finished() {
    }

    /** Starts the query; {@code listener} hears when it is done (never, if the origin leaves first). */
    QueryRun start(Consumer<QueryRun> listener) {
        this.whenDone = listener;
        pump();
        return this;
    }

    public boolean isDone() {
        return finishedMicros >= 0;
    }

    public Traffic traffic() {
        return traffic;
    }

    public LookupStats stats() {
        return lookup().stats();
    }

    public long latencyMicros() {
        return finishedMicros - startMicros;
    }

    public SimNode origin() {
        return origin;
    }

    private void pump() {
        if (isDone() || !origin.isOnline()) {
            return;
        }
        PeerLookup lookup = lookup();
        while (true) {
            long now = scheduler.nowMillis();
            PeerLookup.Step step = lookup.next(now);
            if (step instanceof Ask ask) {
                send(ask, now);
            } else if (step instanceof Wait wait) {
                wakeAt(wait.untilMillis());
                return;
            } else {
                finishedMicros = scheduler.nowMicros();
                origin.table().lookedUp(lookup.target(), now);
                finished();
                whenDone.accept(this);
                return;
            }
        }
    }

    private void send(Ask ask, long nowMillis) {
        PeerInfo peer = ask.peer();
        origin.request(peer, rid -> request(rid, peer), Math.max(1, ask.deadlineMillis() - nowMillis), traffic,
                new SimNode.Reply() {
                    @Override
                    public void answered(Answer answer) {
                        if (!isDone()) {
                            QueryRun.this.answered(peer, answer, scheduler.nowMillis());
                            pump();
                        }
                    }

                    @Override
                    public void failed(boolean gone) {
                        if (!isDone()) {
                            QueryRun.this.failed(peer.nodeId(), scheduler.nowMillis());
                            pump();
                        }
                    }
                });
    }

    /** One wake-up at a time: the earliest the lookup asked for. */
    private void wakeAt(long untilMillis) {
        if (untilMillis == Long.MAX_VALUE || untilMillis >= wakeAtMillis) {
            return;
        }
        wakeAtMillis = untilMillis;
        scheduler.at(Scheduler.microsOf(untilMillis), () -> {
            if (wakeAtMillis == untilMillis) {
                wakeAtMillis = Long.MAX_VALUE;
                pump();
            }
        });
    }
}
