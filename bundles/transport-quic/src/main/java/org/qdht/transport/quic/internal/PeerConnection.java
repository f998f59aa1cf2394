package org.qdht.transport.quic.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.qdht.api.PeerAddress;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;

import tech.kwik.core.QuicConnection;
import tech.kwik.core.QuicStream;

/**
 * One QUIC connection to one remote socket address, opened by either side and used for datagrams
 * and streams in both directions. It goes from connecting (datagrams wait in a small queue) to
 * established (streams go; datagrams go once the peer can read them), then to closed; a closed
 * connection is never reused. Thread safe.
 */
final class PeerConnection {
    /** Who opened the connection; only the opening side sends keep-alives (it is the one behind a NAT). */
    enum Origin { OUTBOUND, INBOUND }

    /** Datagrams that may wait for the handshake; more are refused with RATE_LIMITED. */
    static final int MAX_PENDING_DATAGRAMS = 32;
    /** Streams each side may have open on one connection; both sides announce this limit to the other. */
    static final int MAX_STREAMS = 100;

    private static final byte[] KEEP_ALIVE = new byte[0];

    private final InetSocketAddress socketAddress;
    private final PeerAddress remote;
    private final Origin origin;
    private final TrafficCounters counters;
    /** Guarded by this: the peer's first datagram came before {@link #established}. */
    private boolean peerReadyEarly;
    private final CompletableFuture<QuicConnection> ready = new CompletableFuture<>();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>(); // guarded by this
    private final AtomicInteger ownStreams = new AtomicInteger();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final Set<Thread> streamCreators = ConcurrentHashMap.newKeySet();
    private volatile QuicConnection quic;
    private volatile boolean datagramsOpen;
    private volatile boolean closed;
    private volatile long lastActivity = System.nanoTime();
    private volatile long lastSent = lastActivity;

    PeerConnection(InetSocketAddress socketAddress, Origin origin, TrafficCounters counters) {
        this.socketAddress = socketAddress;
        this.remote = PeerAddress.of(HandlerBoard.SCHEME, QuicLocation.format(socketAddress));
        this.origin = origin;
        this.counters = counters;
    }

    InetSocketAddress socketAddress() {
        return socketAddress;
    }

    PeerAddress remote() {
        return remote;
    }

    Origin origin() {
        return origin;
    }

    /** Completes with the QUIC connection once the handshake is done, or fails with a {@link TransportException}. */
    CompletableFuture<QuicConnection> ready() {
        return ready;
    }

    boolean isEstablished() {
        return quic != null && !closed;
    }

    boolean isClosed() {
        return closed;
    }

    int openStreams() {
        return openStreams.get();
    }

    long lastActivity() {
        return lastActivity;
    }

    /**
     * The handshake is done: stream openers may go on. Datagrams of a connection the peer opened
     * may go too; on a connection this side opened they wait for {@link #openDatagrams()}.
     */
    void established(QuicConnection connection) {
        synchronized (this) {
            if (closed) {
                connection.close();
                return;
            }
            quic = connection;
        }
        ready.complete(connection);
        boolean readyHeard;
        synchronized (this) {
            readyHeard = peerReadyEarly;
        }
        if (origin == Origin.INBOUND || readyHeard) {
            openDatagrams();
        }
    }

    /**
     * The peer can read datagrams now: sends what waited. Kwik's server derives its 1-RTT keys
     * only when the client's Finished arrives and drops 1-RTT packets that come before it, so a
     * client's first datagrams are lost when they overtake its Finished (1 in 10 on loopback).
     * The server therefore sends an empty datagram once it has accepted the connection, and the
     * client sends datagrams from the first datagram it receives (or a fallback delay) on.
     */
    void openDatagrams() {
        if (datagramsOpen) {
            return;
        }
        QuicConnection q;
        List<byte[]> waiting;
        synchronized (this) {
            q = quic;
            if (q == null) {
                // the server's "ready" datagram overtook the end of our own handshake call: remember it,
                // or the first datagrams would wait for the fallback delay
                peerReadyEarly = true;
                return;
            }
            if (datagramsOpen || closed) {
                return;
            }
            datagramsOpen = true;
            waiting = new ArrayList<>(pending);
            pending.clear();
        }
        for (byte[] datagram : waiting) {
            try {
                deliver(q, datagram);
            } catch (TransportException e) {
                counters.rejected(TrafficCounters.UNREACHABLE);
            }
        }
    }

    /** The handshake failed or the connection ended: what waited is dropped (counted) and openers fail. */
    void terminated(TransportException cause) {
        List<byte[]> dropped;
        synchronized (this) {
            closed = true;
            dropped = new ArrayList<>(pending);
            pending.clear();
        }
        dropped.forEach(d -> counters.rejected(TrafficCounters.UNREACHABLE));
        ready.completeExceptionally(cause);
        // a stream opener blocked in Kwik's createStream (waiting for stream credit) would wait forever
        streamCreators.forEach(Thread::interrupt);
    }

    /** Closes the connection, waiting (at most a few round trips) until Kwik has sent the close. */
    void close() {
        QuicConnection q;
        synchronized (this) {
            closed = true;
            q = quic;
        }
        if (q != null) {
            // returns once Kwik has finished closing (at most 4 PTO), so closes never pile up
            q.closeAndWait(Duration.ofSeconds(1));
        }
        terminated(new TransportException(Reason.CLOSED, "connection to " + remote + " closed"));
    }

    /** Starts closing without waiting (transport stop: many connections at once). */
    void closeNow() {
        QuicConnection q;
        synchronized (this) {
            closed = true;
            q = quic;
        }
        if (q != null) {
            q.close();
        }
        terminated(new TransportException(Reason.CLOSED, "transport stopped"));
    }

    /** Sends at once, or queues until the peer can read datagrams; the array is owned by this call. */
    void sendDatagram(byte[] datagram) throws TransportException {
        QuicConnection q = datagramsOpen ? quic : null;
        if (q == null) {
            synchronized (this) {
                q = datagramsOpen ? quic : null;
                if (q == null) {
                    if (closed) {
                        throw new TransportException(Reason.UNREACHABLE, "connection to " + remote + " failed");
                    }
                    if (pending.size() >= MAX_PENDING_DATAGRAMS) {
                        counters.rejected(TrafficCounters.QUEUE_FULL);
                        throw new TransportException(Reason.RATE_LIMITED, MAX_PENDING_DATAGRAMS
                                + " datagrams already wait for the QUIC handshake with " + remote);
                    }
                    pending.add(datagram);
                    return;
                }
            }
        }
        deliver(q, datagram);
    }

    /**
     * An empty datagram: refreshes NAT bindings and the peer's idle timer, tells a client that
     * this server can read its datagrams (see {@link #openDatagrams()}), and is dropped by the peer.
     */
    void sendKeepAlive() {
        QuicConnection q = quic;
        if (q != null && !closed) {
            try {
                q.sendDatagram(KEEP_ALIVE);
                lastSent = System.nanoTime();
            } catch (RuntimeException ignored) {
                // the connection is closing; the idle sweep or Kwik's listener removes it
            }
        }
    }

    boolean keepAliveDue(long now, long intervalNanos) {
        return origin == Origin.OUTBOUND && isEstablished() && now - lastSent >= intervalNanos;
    }

    /** Idle: established, no open stream, no traffic for {@code idleNanos}. */
    boolean idle(long now, long idleNanos) {
        return isEstablished() && openStreams.get() == 0 && now - lastActivity >= idleNanos;
    }

    /** Opens a bidirectional stream; may wait briefly for stream credit from the peer. */
    QuicStream createStream() throws TransportException {
        QuicConnection q = quic;
        if (q == null || closed) {
            throw new TransportException(Reason.CLOSED, "connection to " + remote + " is closed");
        }
        if (ownStreams.incrementAndGet() > MAX_STREAMS) {
            ownStreams.decrementAndGet();
            counters.rejected(TrafficCounters.STREAM_LIMIT);
            throw new TransportException(Reason.RATE_LIMITED, MAX_STREAMS + " streams already open to " + remote);
        }
        streamCreators.add(Thread.currentThread());
        try {
            QuicStream stream = q.createStream(true);
            openStreams.incrementAndGet();
            touch();
            return stream;
        } catch (IOException | RuntimeException e) {
            ownStreams.decrementAndGet();
            throw new TransportException(closed ? Reason.CLOSED : Reason.UNREACHABLE,
                    "cannot open a stream to " + remote + ": " + e, e);
        } finally {
            streamCreators.remove(Thread.currentThread());
        }
    }

    /** A stream the peer opened. */
    void streamAccepted() {
        openStreams.incrementAndGet();
        touch();
    }

    void streamClosed(boolean ownStream) {
        openStreams.decrementAndGet();
        if (ownStream) {
            ownStreams.decrementAndGet();
        }
        touch();
    }

    /** Application traffic: keeps the connection from counting as idle. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    void sent() {
        long now = System.nanoTime();
        lastActivity = now;
        lastSent = now;
    }

    private void deliver(QuicConnection q, byte[] datagram) throws TransportException {
        if (closed) {
            throw new TransportException(Reason.UNREACHABLE, "connection to " + remote + " is closing");
        }
        try {
            q.sendDatagram(datagram);
        } catch (IllegalStateException e) {
            throw new TransportException(Reason.UNREACHABLE, "peer " + remote + " does not take QUIC datagrams (RFC 9221)");
        } catch (IllegalArgumentException e) {
            throw new TransportException(Reason.TOO_LARGE, "datagram of " + datagram.length + " bytes does not fit a "
                    + "QUIC packet to " + remote + " (max " + q.maxDatagramDataSize() + ")");
        }
        counters.datagramOut(datagram.length);
        sent();
    }

    @Override
    public String toString() {
        return remote + " (" + origin.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
