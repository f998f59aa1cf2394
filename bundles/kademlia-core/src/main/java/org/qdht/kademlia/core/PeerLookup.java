package org.qdht.kademlia.core;

import java.util.List;

import org.qdht.api.NodeId;
import org.qdht.api.routing.PeerInfo;

/**
 * An iterative lookup of the peers closest to a target, as a state machine without I/O. The driver
 * loops: it calls {@link #next} and sends a request for every {@link Ask}, until the step is a
 * {@link Wait} (call again at that time or when an answer arrives) or {@link Done}. Answers and
 * failures are reported with {@link #onResponse} and {@link #onFailure}. Not thread safe: a driver
 * feeds one lookup from one thread at a time.
 */
public interface PeerLookup {
    /** What the driver should do next. */
    sealed interface Step permits Ask, Wait, Done {
    }

    /** Send a request to {@code peer}; the lookup counts it as failed after {@code deadlineMillis}. */
    record Ask(PeerInfo peer, long deadlineMillis) implements Step {
    }

    /** Nothing to send now: call {@link #next} again at {@code untilMillis} or when an answer arrives. */
    record Wait(long untilMillis) implements Step {
    }

    /** The lookup has finished; read {@link #result()}. */
    record Done() implements Step {
    }

    NodeId target();

    Step next(long nowMillis);

    /** {@code from} answered with the peers it knows closest to the target. */
    void onResponse(NodeId from, List<PeerInfo> closer, long nowMillis);

    /** The request to {@code from} failed (error, closed session, or the driver's own timeout). */
    void onFailure(NodeId from, long nowMillis);

    /** Stops the lookup early, for example when a get has found what it needs. */
    void finish();

    boolean isFinished();

    /** The peers that answered, closest to the target first, at most the number asked for. */
    List<PeerInfo> result();

    LookupStats stats();
}
