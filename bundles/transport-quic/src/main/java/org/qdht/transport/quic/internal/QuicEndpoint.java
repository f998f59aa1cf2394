package org.qdht.transport.quic.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.qdht.api.PeerAddress;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;
import org.qdht.api.transport.TransportStats;
import org.qdht.api.transport.TransportStream;

import tech.kwik.core.ConnectionTerminatedEvent;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.QuicStream;
import tech.kwik.core.log.NullLogger;
import tech.kwik.core.server.ApplicationProtocolConnection;
import tech.kwik.core.server.ApplicationProtocolConnectionFactory;
import tech.kwik.core.server.ServerConnection;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;

/**
 * The QUIC endpoint of one node: a Kwik server on the node's UDP port and the client connections
 * this node opens, all kept in one {@link ConnectionTable} so that a peer is reached over one
 * connection whichever side opened it. Datagrams use the QUIC datagram extension (RFC 9221);
 * streams are QUIC bidirectional streams. Thread safe; {@link #stop()} releases the port, every
 * connection and every thread.
 */
final class QuicEndpoint implements Transport {
    static final String ALPN = "qdht/1";
    /**
     * Fits one QUIC packet on any path that carries 1280-byte IP packets: Kwik 0.10.8 allows 1236
     * bytes of datagram over IPv4 and 1216 over IPv6 (8-byte connection IDs).
     */
    static final int MAX_DATAGRAM_SIZE = 1200;
    /** Receive window per stream; the connection window is Kwik's 10x (client) or the one below (server). */
    static final int STREAM_WINDOW = 256 * 1024;
    static final int CONNECTION_WINDOW = 1024 * 1024;
    /** A peer that failed a handshake is not tried again for this long. */
    static final Duration UNREACHABLE_BACKOFF = Duration.ofSeconds(5);
    /** QUIC's own idle timeout is this much longer than ours, so our idle sweep closes first, cleanly. */
    static final Duration QUIC_IDLE_MARGIN = Duration.ofSeconds(5);
    /**
     * How long (at least; four handshake durations if longer) a client holds its first datagrams
     * when the server's "ready" datagram does not come (lost, or a peer that does not send it); it
     * normally comes one round trip after the handshake. Long, because a busy server accepts the
     * connection late, and datagrams sent before that are lost: a fallback of 500 ms lost all ten
     * first datagrams of a test once in six CI runs on a loaded machine.
     */
    static final long DATAGRAM_FALLBACK_MILLIS = 3_000;
    /** How long {@link #start()} keeps trying a port that is still held by a just-stopped endpoint. */
    static final long BIND_RETRY_MILLIS = 2_000;
    /** Application error code when a connection is refused for lack of room. */
    static final long BUSY = 0x1;

    private final String node;
    private final EndpointSettings settings;
    private final int port;
    private final EndpointLog log;
    private final TrafficCounters counters = new TrafficCounters();
    private final ConnectionTable table;
    private final AtomicLong keepAlivesSent = new AtomicLong();
    private final AtomicLong keepAlivesReceived = new AtomicLong();
    private final AtomicBoolean rescueWarned = new AtomicBoolean();
    private final Dialer dialer;
    private final HandlerDispatch dispatch;
    private volatile boolean stopped;
    private volatile InetSocketAddress bound;
    private volatile EndpointThreads threads;
    private ServerConnector server; // guarded by this until stop

    /** An endpoint for {@code node} on UDP {@code port} (0: ephemeral); {@link #start()} binds it. */
    QuicEndpoint(String node, EndpointSettings settings, int port, HandlerBoard handlers, EndpointLog log) {
        this.node = node;
        this.settings = settings;
        this.port = port;
        this.log = log;
        this.table = new ConnectionTable(settings.maxConnections(), UNREACHABLE_BACKOFF, counters);
        this.dialer = new Dialer(node, settings, quicIdleTimeout(), log);
        this.dispatch = new HandlerDispatch(this, node, handlers, counters, log);
    }

    /** Binds the port and starts the server. */
    synchronized void start() throws IOException, GeneralSecurityException {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        GuardedDatagramSocket socket = GuardedDatagramSocket.bind(new InetSocketAddress(settings.bindAddress(), port),
                BIND_RETRY_MILLIS, log);
        threads = new EndpointThreads(node, counters);
        try {
            ServerConnectionConfig config = ServerConnectionConfig.builder()
                    .maxIdleTimeout((int) quicIdleTimeout().toMillis())
                    .maxOpenPeerInitiatedBidirectionalStreams(PeerConnection.MAX_STREAMS)
                    .maxOpenPeerInitiatedUnidirectionalStreams(0)
                    .maxBidirectionalStreamBufferSize(STREAM_WINDOW)
                    .maxUnidirectionalStreamBufferSize(STREAM_WINDOW)
                    .maxConnectionBufferSize(CONNECTION_WINDOW)
                    // no Retry round trip: phones pay for every round trip, and qDHT's own handshake
                    // makes a spoofed source address useless to an attacker
                    .retryRequired(false)
                    .build();
            server = ServerConnector.builder()
                    .withSocket(socket)
                    .withKeyStore(certificate.keyStore(), SelfSignedCertificate.ALIAS, certificate.password(),
                            SelfSignedCertificate.CURVE)
                    .withConfiguration(config)
                    // Kwik's server registers its logger in a JVM-wide memory listener that is never
                    // removed: a Kwik class there pins no class loader of ours
                    .withLogger(new NullLogger())
                    .build();
            server.registerApplicationProtocol(ALPN, new InboundConnections());
            server.start();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            socket.close();
            threads.shutdownNow();
            threads = null;
            throw e;
        }
        // the configured address, not the socket's: Java reports a dual-stack socket bound to 0.0.0.0 as ::
        bound = new InetSocketAddress(settings.bindAddress(), socket.getLocalPort());
        long sweep = sweepPeriod().toMillis();
        threads.timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        log.info("QUIC transport of node '" + node + "' listens on " + QuicLocation.format(bound));
    }

    /** Closes every connection, the server and the port; idempotent. */
    void stop() {
        synchronized (this) {
            if (stopped || threads == null) {
                stopped = true;
                return;
            }
            stopped = true;
        }
        threads.shutdownNow();
        for (PeerConnection c : table.clear()) {
            c.closeNow();
        }
        // waits until Kwik has terminated the server-side connections, then closes the socket
        server.close();
        log.info("QUIC transport of node '" + node + "' stopped (" + QuicLocation.format(bound) + ")");
    }

    @Override
    public String scheme() {
        return HandlerBoard.SCHEME;
    }

    @Override
    public List<PeerAddress> localAddresses() {
        InetSocketAddress b = bound;
        return b == null || stopped ? List.of() : LocalAddresses.of(b);
    }

    @Override
    public int maxDatagramSize() {
        return MAX_DATAGRAM_SIZE;
    }

    @Override
    public void send(PeerAddress to, byte[] datagram) throws TransportException {
        requireScheme(to);
        if (datagram.length > MAX_DATAGRAM_SIZE) {
            counters.rejected(TrafficCounters.TOO_LARGE);
            throw new TransportException(Reason.TOO_LARGE, "a QUIC datagram carries at most " + MAX_DATAGRAM_SIZE
                    + " bytes, got " + datagram.length + ": send larger messages over a stream");
        }
        PeerConnection c = connectionTo(socketAddress(to));
        try {
            c.sendDatagram(datagram.clone());
        } catch (TransportException e) {
            if (e.reason() != Reason.RATE_LIMITED) {
                counters.rejected(e.reason() == Reason.TOO_LARGE ? TrafficCounters.TOO_LARGE : TrafficCounters.UNREACHABLE);
            }
            throw e;
        }
    }

    @Override
    public boolean supportsStreams() {
        return true;
    }

    @Override
    public CompletionStage<TransportStream> openStream(PeerAddress to) {
        requireScheme(to);
        PeerConnection c;
        try {
            c = connectionTo(socketAddress(to));
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<TransportStream> result = new CompletableFuture<>();
        c.ready().whenComplete((quic, failure) -> {
            if (failure != null) {
                counters.rejected(stopped ? TrafficCounters.CLOSED : TrafficCounters.UNREACHABLE);
                result.completeExceptionally(failure);
                return;
            }
            try {
                // Kwik's createStream can wait for stream credit from the peer: never on the caller's thread
                threads.workers.execute(() -> {
                    try {
                        result.complete(checked(new QuicTransportStream(c, c.createStream(), counters, true, threads.timer)));
                    } catch (TransportException e) {
                        result.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new TransportException(Reason.CLOSED, "QUIC transport of node '" + node + "' stopped"));
            }
        });
        return result;
    }

    @Override
    public TransportStats stats() {
        return counters.snapshot();
    }

    /** The bound socket address, null before {@link #start()}. */
    InetSocketAddress boundAddress() {
        return bound;
    }

    /** Connections in the cache, both directions (tests and the shell). */
    int connectionCount() {
        return table.size();
    }

    long keepAlivesSent() {
        return keepAlivesSent.get();
    }

    long keepAlivesReceived() {
        return keepAlivesReceived.get();
    }

    // --- outbound -------------------------------------------------------------------------------

    private void requireScheme(PeerAddress to) {
        if (!HandlerBoard.SCHEME.equals(to.scheme())) {
            throw new IllegalArgumentException("the QUIC transport sends to quic:// addresses, not " + to);
        }
    }

    private InetSocketAddress socketAddress(PeerAddress to) throws TransportException {
        if (stopped) {
            counters.rejected(TrafficCounters.CLOSED);
            throw new TransportException(Reason.CLOSED, "QUIC transport of node '" + node + "' stopped");
        }
        try {
            return QuicLocation.parse(to.location());
        } catch (IllegalArgumentException e) {
            counters.rejected(TrafficCounters.UNREACHABLE);
            throw new TransportException(Reason.UNREACHABLE, "cannot use " + to + ": " + e.getMessage(), e);
        }
    }

    private PeerConnection connectionTo(InetSocketAddress target) throws TransportException {
        ConnectionTable.Admission a = table.outbound(target,
                () -> new PeerConnection(target, PeerConnection.Origin.OUTBOUND, counters));
        closeLater(a.evicted());
        if (a.created()) {
            try {
                threads.workers.execute(() -> connect(a.connection()));
            } catch (RejectedExecutionException e) {
                table.remove(a.connection());
                counters.rejected(TrafficCounters.CLOSED);
                throw new TransportException(Reason.CLOSED, "QUIC transport of node '" + node + "' stopped");
            }
        }
        return a.connection();
    }

    /** Runs the handshake on a worker; the connection's ready stage tells the waiting senders. */
    private void connect(PeerConnection c) {
        try {
            QuicClientConnection quic = dialer.prepare(c);
            listen(c, quic);
            quic.setPeerInitiatedStreamCallback(stream -> acceptStream(c, stream));
            long start = System.nanoTime();
            quic.connect();
            long handshakeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            c.established(quic);
            // the server's first datagram normally opens the way sooner (see PeerConnection.openDatagrams);
            // a slow handshake (slow path or busy machine) means the server may be slow too: wait longer
            threads.timer.schedule(c::openDatagrams, Math.max(DATAGRAM_FALLBACK_MILLIS, 4 * handshakeMillis),
                    TimeUnit.MILLISECONDS);
            log.debug("QUIC connection of node '" + node + "' to " + c.remote() + " established");
        } catch (IOException | RuntimeException e) {
            table.unreachable(c);
            c.terminated(new TransportException(stopped ? Reason.CLOSED : Reason.UNREACHABLE,
                    "no QUIC connection to " + c.remote() + ": " + e.getMessage(), e));
            log.debug("QUIC handshake of node '" + node + "' with " + c.remote() + " failed: " + e);
        }
    }

    // --- inbound --------------------------------------------------------------------------------

    /** Kwik's hook for connections peers open, called once their handshake is done. */
    private final class InboundConnections implements ApplicationProtocolConnectionFactory {
        @Override
        public ApplicationProtocolConnection createConnection(String protocol, QuicConnection quic) {
            return accept(quic);
        }

        @Override
        public int maxConcurrentPeerInitiatedUnidirectionalStreams() {
            return 0;
        }

        @Override
        public int maxConcurrentPeerInitiatedBidirectionalStreams() {
            return PeerConnection.MAX_STREAMS;
        }

        @Override
        public boolean enableDatagramExtension() {
            return true;
        }
    }

    private ApplicationProtocolConnection accept(QuicConnection quic) {
        InetSocketAddress from = ((ServerConnection) quic).getInitialRemoteAddress();
        if (stopped) {
            quic.close();
            return null;
        }
        PeerConnection c = new PeerConnection(from, PeerConnection.Origin.INBOUND, counters);
        ConnectionTable.Admission a = table.inbound(c);
        if (a == null) {
            counters.rejected(TrafficCounters.CONNECTION_LIMIT);
            quic.close(BUSY, "connection limit");
            return null;
        }
        closeLater(a.evicted());
        listen(c, quic);
        c.established(quic);
        c.sendKeepAlive(); // tells the client that this side can read its datagrams now
        log.debug("QUIC connection of node '" + node + "' from " + c.remote() + " established");
        return new ApplicationProtocolConnection() {
            @Override
            public void acceptPeerInitiatedStream(QuicStream stream) {
                acceptStream(c, stream);
            }
        };
    }

    /** Datagrams go through the inbound thread; the end of the connection removes it from the table. */
    private void listen(PeerConnection c, QuicConnection quic) {
        quic.setDatagramHandler(datagram -> deliverDatagram(c, datagram), threads.inbound);
        quic.setConnectionListener(event -> ended(c, event));
    }

    private void ended(PeerConnection c, ConnectionTerminatedEvent event) {
        table.remove(c);
        c.terminated(new TransportException(Reason.CLOSED, "connection to " + c.remote() + " ended: "
                + event.closeReason() + (event.hasError() ? " (" + event.errorDescription() + ")" : "")));
        log.debug("QUIC connection of node '" + node + "' with " + c.remote() + " ended: " + event.closeReason()
                + (event.closedByPeer() ? " by the peer" : "") + (event.hasError() ? ", " + event.errorDescription() : ""));
    }

    private void deliverDatagram(PeerConnection c, byte[] datagram) {
        c.openDatagrams(); // the peer's datagrams get through, so ours will
        if (datagram.length == 0) {
            keepAlivesReceived.incrementAndGet();
            return;
        }
        c.touch();
        dispatch.datagram(c.remote(), datagram);
    }

    /** Called on the connection's Kwik callback thread. */
    private void acceptStream(PeerConnection c, QuicStream stream) {
        QuicTransportStream s = checked(new QuicTransportStream(c, stream, counters, false, threads.timer));
        if (stopped) {
            s.refuse();
        } else {
            dispatch.stream(s);
        }
    }

    // --- housekeeping ---------------------------------------------------------------------------

    /** Says once if the workaround for Kwik 0.10.8's lost send requests cannot work with the Kwik present. */
    private QuicTransportStream checked(QuicTransportStream s) {
        if (!s.rescueAvailable() && rescueWarned.compareAndSet(false, true)) {
            log.warn("this Kwik version lacks the method the stalled-stream rescue calls; streams may stall under load "
                    + "(see the transport-quic README)", null);
        }
        return s;
    }

    /** Closes idle connections and keeps busy ones alive; runs on the timer. */
    private void sweep() {
        try {
            long now = System.nanoTime();
            long idle = settings.idleTimeout().toNanos();
            long keepAlive = settings.keepAlive().toNanos();
            for (PeerConnection c : table.snapshot()) {
                if (c.idle(now, idle)) {
                    table.remove(c);
                    log.debug("closing idle QUIC connection of node '" + node + "' with " + c.remote());
                    closeLater(c);
                } else if (keepAlive > 0 && c.keepAliveDue(now, keepAlive)) {
                    c.sendKeepAlive();
                    keepAlivesSent.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            // a failing sweep must not cancel the next ones
            log.warn("QUIC idle sweep of node '" + node + "' failed", e);
        }
    }

    private void closeLater(PeerConnection c) {
        if (c == null) {
            return;
        }
        try {
            threads.workers.execute(c::close);
        } catch (RejectedExecutionException stopping) {
            c.closeNow();
        }
    }

    private Duration quicIdleTimeout() {
        return settings.idleTimeout().plus(QUIC_IDLE_MARGIN);
    }

    /** Often enough to close idle connections and send keep-alives on time, rarely enough to let a phone sleep. */
    private Duration sweepPeriod() {
        Duration shortest = settings.keepAlive().isZero() ? settings.idleTimeout()
                : min(settings.idleTimeout(), settings.keepAlive());
        Duration quarter = shortest.dividedBy(4);
        return min(Duration.ofSeconds(5), quarter.compareTo(Duration.ofMillis(250)) < 0 ? Duration.ofMillis(250) : quarter);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
