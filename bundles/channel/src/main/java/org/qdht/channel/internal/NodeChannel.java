package org.qdht.channel.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.ChannelException.Reason;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.channel.SessionInfo;
import org.qdht.api.channel.SessionMessageHandler;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportStream;
import org.qdht.api.wire.WireFormatException;

/**
 * The secure channel of one node: drives handshakes over the node's transports, keeps its
 * sessions, and turns inbound packets into messages for the handlers. The cryptography is in
 * {@link Initiator} and {@link Responder}; this class does I/O, timers, limits and counting.
 * Thread safe.
 */
final class NodeChannel implements SecureChannels, LocalParty {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String node;
    private final ChannelComponent host;
    private final ChannelSettings settings;
    private final Counters counters = new Counters();
    private final PeerBook peerBook;
    private final RateLimiter rateLimiter;
    private final CookieJar cookies;

    private final Map<Long, Session> sessionsByIndex = new ConcurrentHashMap<>();
    private final Map<Session, Boolean> sessions = new ConcurrentHashMap<>();
    private final Map<Long, PendingConnect> connectsByIndex = new ConcurrentHashMap<>();
    private final Map<PeerAddress, PendingConnect> connectsByAddress = new ConcurrentHashMap<>();
    private final Map<Long, PendingAccept> acceptsByIndex = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, PendingAccept> seenInits = new ConcurrentHashMap<>();
    private final Map<SuiteId, KeyPair> staticKeys = new ConcurrentHashMap<>();
    private final Map<PeerAddress, StreamLink> links = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A handshake this node started, for a new session or a re-key of {@code rekeyOf}. */
    private final class PendingConnect {
        final Initiator initiator;
        final PeerAddress address;
        final CompletableFuture<SecureSession> result = new CompletableFuture<>();
        final Session rekeyOf;
        final long deadlineNanos;
        volatile byte[] lastPacket;
        volatile long nextRetryNanos;
        volatile long retryDelayNanos;
        volatile Session session;
        volatile boolean responded;

        PendingConnect(Initiator initiator, PeerAddress address, Session rekeyOf) {
            this.initiator = initiator;
            this.address = address;
            this.rekeyOf = rekeyOf;
            this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.handshakeTimeoutMillis());
            this.retryDelayNanos = TimeUnit.MILLISECONDS.toNanos(settings.handshakeRetryMillis());
        }
    }

    /** A handshake a peer started with this node. */
    private static final class PendingAccept {
        final PeerAddress from;
        final long deadlineNanos;
        volatile Responder responder;
        volatile byte[] responsePacket;
        volatile Session session;

        PendingAccept(PeerAddress from, long deadlineNanos) {
            this.from = from;
            this.deadlineNanos = deadlineNanos;
        }
    }

    NodeChannel(String node, ChannelComponent host, ChannelSettings settings, PeerBook peerBook) {
        this.node = node;
        this.host = host;
        this.settings = settings;
        this.peerBook = peerBook;
        this.rateLimiter = new RateLimiter(settings.handshakesPerSecondPerHost(), settings.handshakeBurstPerHost());
        this.cookies = new CookieJar(TimeUnit.SECONDS.toMillis(settings.maxClockSkewSeconds()), System.currentTimeMillis());
    }

    String node() {
        return node;
    }

    Counters counterSet() {
        return counters;
    }

    PeerBook peerBook() {
        return peerBook;
    }

    long graceNanos() {
        return TimeUnit.SECONDS.toNanos(settings.graceSeconds());
    }

    // ---- LocalParty --------------------------------------------------------------------------

    @Override
    public NodeIdentity identity() {
        return host.identity(node).orElseThrow(() -> new IllegalStateException("node " + node + " has no identity"));
    }

    @Override
    public List<SuiteId> offeredSuites() {
        List<SuiteId> installed = new ArrayList<>();
        for (CryptoSuite s : host.suites()) {
            installed.add(s.id());
        }
        installed.sort(Comparator.naturalOrder());
        Optional<NodeIdentity> id = host.identity(node);
        if (id.isPresent() && installed.remove(id.get().suite())) {
            installed.add(0, id.get().suite());
        }
        return installed.size() > Packets.MAX_SUITES ? installed.subList(0, Packets.MAX_SUITES) : installed;
    }

    @Override
    public Optional<CryptoSuite> suite(SuiteId id) {
        return host.suites().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    @Override
    public SignatureVerifier verifier() {
        return host.verifier();
    }

    @Override
    public KeyPair staticKemKey(CryptoSuite suite) {
        return staticKeys.computeIfAbsent(suite.id(), id -> suite.kem().generateKeyPair());
    }

    @Override
    public Optional<KeyPair> staticKemKey(KeyId id) {
        return staticKeys.values().stream().filter(k -> k.publicKey().keyId().equals(id)).findFirst();
    }

    @Override
    public int minPeerPuzzleDifficulty() {
        return settings.minPeerPuzzleDifficulty();
    }

    // ---- SecureChannels ----------------------------------------------------------------------

    @Override
    public CompletionStage<SecureSession> connect(PeerAddress address, Optional<NodeId> expectedPeer) {
        for (Session s : sessions.keySet()) {
            if (s.isOpen() && s.remote().equals(address) && s.current() != null
                    && (expectedPeer.isEmpty() || expectedPeer.get().equals(s.peer()))) {
                return CompletableFuture.completedFuture(s);
            }
        }
        PendingConnect running = connectsByAddress.get(address);
        if (running != null && running.initiator.expectedPeer().equals(expectedPeer)) {
            return running.result.copy();
        }
        try {
            checkReady();
            if (sessions.size() >= settings.maxSessions()) {
                throw new ChannelException(Reason.CLOSED, "node " + node + " already has " + sessions.size()
                        + " sessions, the configured maximum (maxSessions)");
            }
            PendingConnect pc = startHandshake(address, expectedPeer, null, Optional.empty(), false);
            connectsByAddress.put(address, pc);
            pc.result.whenComplete((s, e) -> connectsByAddress.remove(address, pc));
            return pc.result.copy();
        } catch (ChannelException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public List<SessionInfo> sessions() {
        List<SessionInfo> out = new ArrayList<>();
        for (Session s : sessions.keySet()) {
            if (s.isOpen() && s.current() != null) {
                out.add(s.info());
            }
        }
        return out;
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    /** The open sessions themselves, for the shell and tests. */
    List<Session> openSessions() {
        List<Session> out = new ArrayList<>();
        for (Session s : sessions.keySet()) {
            if (s.isOpen() && s.current() != null) {
                out.add(s);
            }
        }
        return out;
    }

    private void checkReady() throws ChannelException {
        if (closed) {
            throw new ChannelException(Reason.CLOSED, "the channel of node " + node + " is closed");
        }
        if (host.identity(node).isEmpty() || host.verifier() == null) {
            throw new ChannelException(Reason.CLOSED, "node " + node + " has no identity yet: install a crypto suite bundle");
        }
    }

    /**
     * Starts a handshake. {@code hintSuites} is a responder's unauthenticated suite list from a
     * reject; the handshake then uses the best common suite and checks it against the signed list.
     */
    private PendingConnect startHandshake(PeerAddress address, Optional<NodeId> expectedPeer, Session rekeyOf,
            Optional<List<SuiteId>> hintSuites, boolean avoidIk) throws ChannelException {
        List<SuiteId> ours = offeredSuites();
        if (ours.isEmpty()) {
            throw new ChannelException(Reason.UNKNOWN_SUITE, "node " + node + " has no crypto suite installed");
        }
        SuiteId suite = ours.get(0);
        boolean fromHint = false;
        if (rekeyOf != null && !rekeyOf.suiteChangeWanted() && ours.contains(rekeyOf.suite())) {
            // a scheduled re-key keeps the session's suite: only a suite switch changes it
            suite = rekeyOf.suite();
        }
        Optional<List<SuiteId>> known = hintSuites.isPresent() ? hintSuites : expectedPeer.flatMap(peerBook::offered);
        if (known.isPresent() && (rekeyOf == null || rekeyOf.suiteChangeWanted() || !ours.contains(rekeyOf.suite()))) {
            suite = PeerCheck.best(ours, known.get()).orElseThrow(() -> new ChannelException(Reason.UNKNOWN_SUITE,
                    "the peer at " + address + " offers " + known.get() + " and this node holds none of them"));
            fromHint = hintSuites.isPresent();
        }
        Optional<EncodedPublicKey> responderStatic = avoidIk ? Optional.empty()
                : expectedPeer.flatMap(p -> peerBook.staticKem(p, ours.get(0)));
        SuiteId chosen = suite;
        responderStatic = responderStatic.filter(k -> k.suite().equals(chosen));
        long index = newIndex();
        long replaces = rekeyOf == null ? 0 : rekeyOf.current().remoteIndex();
        Initiator initiator = new Initiator(this, suite, index, expectedPeer, responderStatic, replaces, fromHint, System.currentTimeMillis());
        PendingConnect pc = new PendingConnect(initiator, address, rekeyOf);
        connectsByIndex.put(index, pc);
        pc.result.whenComplete((s, e) -> {
            connectsByIndex.remove(index, pc);
            if (e != null) {
                forgetIndex(index);
                initiator.close();
            }
        });
        send(pc, initiator.init().encode());
        return pc;
    }

    private void send(PendingConnect pc, byte[] packet) {
        pc.lastPacket = packet;
        pc.nextRetryNanos = System.nanoTime() + pc.retryDelayNanos;
        try {
            transmit(pc.address, packet);
        } catch (ChannelException e) {
            pc.result.completeExceptionally(e);
        }
    }

    long rekeyAfterMessages() {
        return settings.rekeyAfterMessages();
    }

    /** Re-keys off the sender's thread: the handshake's KEM and signature work must not delay sends. */
    void rekeyLater(Session session, Runnable done) {
        runHandshakeWork(() -> {
            try {
                rekey(session);
            } finally {
                done.run();
            }
        });
    }

    /** Re-keys {@code session}: a new handshake whose keys replace the current ones without losing messages. */
    void rekey(Session session) {
        synchronized (session) {
            if (session.isRekeying() || !session.isOpen() || session.current() == null) {
                return;
            }
            session.setRekeying(true);
        }
        try {
            PendingConnect pc = startHandshake(session.remote(), Optional.of(session.peer()), session, Optional.empty(), false);
            pc.result.whenComplete((s, e) -> {
                if (e != null) {
                    session.setRekeying(false);
                    host.log().warn("node {}: re-keying {} failed: {}", node, session, e.getMessage());
                }
            });
        } catch (ChannelException e) {
            session.setRekeying(false);
            host.log().warn("node {}: cannot re-key {}: {}", node, session, e.getMessage());
        }
    }

    // ---- inbound ----------------------------------------------------------------------------

    /** One packet from a transport: a datagram, or a frame read from a stream. Never throws. */
    void onPacket(PeerAddress from, byte[] packet) {
        if (closed) {
            return;
        }
        try {
            switch (Packets.typeOf(packet)) {
                case Packets.INIT -> onInit(from, Packets.Init.decode(packet));
                case Packets.RETRY -> onRetry(Packets.Retry.decode(packet));
                case Packets.REJECT -> onReject(Packets.Reject.decode(packet));
                case Packets.RESPONSE -> onResponse(Packets.Response.decode(packet));
                case Packets.FINISH -> onFinish(from, Packets.Finish.decode(packet));
                case Packets.DATA -> onData(from, Packets.Data.decode(packet));
                default -> counters.add("malformed");
            }
        } catch (WireFormatException e) {
            counters.add(e.reason() == WireFormatException.Reason.OVERSIZED ? "too-large" : "malformed");
        } catch (RuntimeException e) {
            counters.add("internal-error");
            host.log().error("node {}: packet from {} caused an internal error", node, from, e);
        }
    }

    private void onInit(PeerAddress from, Packets.Init init) {
        long now = System.currentTimeMillis();
        if (host.identity(node).isEmpty() || host.verifier() == null) {
            counters.add("not-ready");
            return;
        }
        if (cookieRequired() && !cookies.isValid(init.cookie(), from.toString(), init, now)) {
            counters.add(init.cookie().length == 0 ? "retry-sent" : "bad-cookie");
            transmitQuietly(from, new Packets.Retry(init.initiatorIndex(), cookies.issue(from.toString(), init, now)).encode());
            return;
        }
        if (!rateLimiter.tryAcquire(hostOf(from), System.nanoTime())) {
            counters.add("rate-limited");
            return;
        }
        if (Math.abs(now - init.timestampMillis()) > TimeUnit.SECONDS.toMillis(settings.maxClockSkewSeconds())) {
            counters.add("replay");
            return;
        }
        ByteBuffer key = ByteBuffer.wrap(sha256(init.transcriptBytes()));
        PendingAccept fresh = new PendingAccept(from, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.handshakeTimeoutMillis()));
        PendingAccept seen = seenInits.putIfAbsent(key, fresh);
        if (seen != null) {
            byte[] response = seen.responsePacket;
            if (seen.from.equals(from) && response != null && seen.session == null && System.nanoTime() - seen.deadlineNanos < 0) {
                counters.add("handshake-retransmit");
                transmitQuietly(from, response);
            } else {
                counters.add("replay");
            }
            return;
        }
        Optional<CryptoSuite> suite = suite(init.suite());
        if (suite.isEmpty()) {
            counters.add("unknown-suite");
            seenInits.remove(key, fresh);
            transmitQuietly(from, new Packets.Reject(init.initiatorIndex(), Packets.RejectReason.UNKNOWN_SUITE, offeredSuites()).encode());
            return;
        }
        Optional<KeyPair> staticKey = Optional.empty();
        if (init.staticCiphertext().isPresent()) {
            staticKey = staticKemKey(init.staticCiphertext().get().recipientKey());
            if (staticKey.isEmpty()) {
                counters.add("unknown-static-key");
                seenInits.remove(key, fresh);
                transmitQuietly(from, new Packets.Reject(init.initiatorIndex(), Packets.RejectReason.UNKNOWN_STATIC_KEY, offeredSuites()).encode());
                return;
            }
        }
        if (acceptsByIndex.size() >= settings.maxPendingHandshakes()) {
            counters.add("overloaded");
            seenInits.remove(key, fresh);
            return;
        }
        long index = newIndex();
        Responder responder = new Responder(this, suite.get(), index, init, staticKey);
        fresh.responder = responder;
        acceptsByIndex.put(index, fresh);
        runHandshakeWork(() -> {
            try {
                byte[] response = responder.respond().encode();
                fresh.responsePacket = response;
                transmit(from, response);
            } catch (ChannelException e) {
                counters.add(Counters.nameOf(e.reason()));
                dropAccept(index, fresh);
            }
        });
    }

    private boolean cookieRequired() {
        return switch (settings.cookies()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> acceptsByIndex.size() >= settings.cookieThreshold();
        };
    }

    private void onRetry(Packets.Retry retry) {
        PendingConnect pc = connectsByIndex.get(retry.initiatorIndex());
        if (pc == null || pc.responded) {
            counters.add("unknown-index");
            return;
        }
        send(pc, pc.initiator.withCookie(retry.cookie()).encode());
    }

    private void onReject(Packets.Reject reject) {
        PendingConnect pc = connectsByIndex.get(reject.initiatorIndex());
        if (pc == null || pc.responded) {
            counters.add("unknown-index");
            return;
        }
        boolean ik = pc.initiator.isIk();
        boolean suiteProblem = reject.reason() == Packets.RejectReason.UNKNOWN_SUITE;
        if (reject.reason() == Packets.RejectReason.UNKNOWN_STATIC_KEY && ik) {
            pc.initiator.expectedPeer().ifPresent(peerBook::dropStaticKem);
        } else if (!suiteProblem || pc.initiator.isFromHint()) {
            pc.result.completeExceptionally(new ChannelException(Reason.UNKNOWN_SUITE, "the peer at " + pc.address
                    + " refused the handshake (" + reject.reason() + "); it offers " + reject.responderSuites()));
            return;
        }
        // Start over once, with XX or with the suite the (unauthenticated) reject names.
        try {
            Optional<List<SuiteId>> hint = suiteProblem ? Optional.of(reject.responderSuites()) : Optional.empty();
            PendingConnect next = startHandshake(pc.address, pc.initiator.expectedPeer(), pc.rekeyOf, hint, true);
            next.result.whenComplete((s, e) -> {
                if (e != null) {
                    pc.result.completeExceptionally(e);
                } else {
                    pc.result.complete(s);
                }
            });
            connectsByIndex.remove(reject.initiatorIndex(), pc);
            if (pc.rekeyOf == null) {
                connectsByAddress.replace(pc.address, pc, next);
            }
        } catch (ChannelException e) {
            pc.result.completeExceptionally(e);
        }
    }

    private void onResponse(Packets.Response response) {
        PendingConnect pc = connectsByIndex.get(response.initiatorIndex());
        if (pc == null) {
            counters.add("unknown-index");
            return;
        }
        synchronized (pc) {
            if (pc.responded) {
                counters.add("handshake-retransmit");
                return;
            }
            pc.responded = true;
        }
        runHandshakeWork(() -> {
            try {
                Initiator.Outcome outcome = pc.initiator.onResponse(response);
                Established e = outcome.established();
                peerBook.checkNoDowngrade(e.peer(), e.peerOffered(), offeredSuites());
                KeyEpoch epoch = new KeyEpoch(e, suite(e.suite()).orElseThrow().aead());
                Session session = pc.rekeyOf != null ? pc.rekeyOf : new Session(this, pc.address, e.peer(), host.newDeliveryQueue());
                session.installPending(e, epoch);
                sessionsByIndex.put(e.localIndex(), session);
                pc.session = session;
                remember(e);
                send(pc, outcome.finish().encode());
            } catch (ChannelException e) {
                counters.add(Counters.nameOf(e.reason()));
                pc.result.completeExceptionally(e);
            }
        });
    }

    private void onFinish(PeerAddress from, Packets.Finish finish) {
        PendingAccept pa = acceptsByIndex.get(finish.responderIndex());
        if (pa == null || pa.responsePacket == null) {
            counters.add("unknown-index");
            return;
        }
        synchronized (pa) {
            if (pa.session != null) {
                counters.add("handshake-retransmit");
                confirmQuietly(pa.session);
                return;
            }
        }
        runHandshakeWork(() -> {
            synchronized (pa) {
                if (pa.session != null) {
                    return;
                }
                try {
                    Established e = pa.responder.onFinish(finish);
                    peerBook.checkNoDowngrade(e.peer(), e.peerOffered(), offeredSuites());
                    KeyEpoch epoch = new KeyEpoch(e, suite(e.suite()).orElseThrow().aead());
                    Session session = sessionFor(from, e);
                    sessionsByIndex.put(e.localIndex(), session);
                    session.installSending(e, epoch, graceNanos());
                    sessions.put(session, Boolean.TRUE);
                    pa.session = session;
                    remember(e);
                    confirmQuietly(session);
                    host.log().info("node {}: {} from {} ({}, suite {})", node, e.replacesIndex() == 0 ? "session" : "re-keyed session",
                            Session.shortId(e.peer()), from, e.replacesIndex() == 0 ? "new" : "rekey", e.suite().name());
                } catch (ChannelException e) {
                    counters.add(Counters.nameOf(e.reason()));
                    dropAccept(finish.responderIndex(), pa);
                }
            }
        });
    }

    /** The session a responder's handshake belongs to: the one it re-keys, if the peer proves it is the same node. */
    private Session sessionFor(PeerAddress from, Established e) throws ChannelException {
        if (e.replacesIndex() == 0) {
            if (sessions.size() >= settings.maxSessions()) {
                throw new ChannelException(Reason.CLOSED, "too many sessions");
            }
            return new Session(this, from, e.peer(), host.newDeliveryQueue());
        }
        Session old = sessionsByIndex.get(e.replacesIndex());
        if (old == null || !old.isOpen()) {
            throw new ChannelException(Reason.CLOSED, "the re-keyed session is gone");
        }
        if (!PeerCheck.isSameOrRotatedFrom(verifier(), old.peer(), e.peerSigningKey(), e.peerRotations())) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "a re-key of the session with " + Session.shortId(old.peer())
                    + " came from another identity without a signed rotation");
        }
        return old;
    }

    private void onData(PeerAddress from, Packets.Data data) {
        Session session = sessionsByIndex.get(data.receiverIndex());
        KeyEpoch epoch = session == null ? null : session.epochFor(data.receiverIndex());
        if (epoch == null) {
            counters.add("unknown-index");
            return;
        }
        try {
            session.onPlaintext(epoch, from, epoch.open(data));
        } catch (KeyEpoch.LateMessageException e) {
            counters.add("late");
        } catch (ChannelException e) {
            counters.add(e.reason() == Reason.AUTHENTICATION_FAILED ? "bad-mac" : Counters.nameOf(e.reason()));
        }
    }

    /** The peer's first message under keys this node made as initiator: the handshake is confirmed. */
    void onConfirmed(Session session, KeyEpoch epoch) {
        PendingConnect pc = connectsByIndex.get(epoch.localIndex());
        if (pc == null) {
            return;
        }
        sessions.put(session, Boolean.TRUE);
        counters.add(pc.initiator.isIk() ? "handshakes-ik" : "handshakes-xx");
        pc.initiator.close();
        pc.result.complete(session);
        if (pc.rekeyOf == null) {
            host.log().info("node {}: session with {} at {} (suite {})", node, Session.shortId(session.peer()), pc.address, epoch.suite().name());
        }
    }

    void deliver(Session session, int protocol, byte[] message) {
        Optional<SessionMessageHandler> handler = host.handler(node, protocol);
        if (handler.isEmpty()) {
            counters.add("no-handler");
            return;
        }
        try {
            handler.get().onMessage(session, protocol, message);
        } catch (RuntimeException e) {
            counters.add("handler-error");
            host.log().warn("node {}: handler of protocol {} failed on a message from {}", node, protocol, session, e);
        }
    }

    // ---- outbound ---------------------------------------------------------------------------

    /**
     * Sends a packet: on a transport with streams, in order on the peer's {@link StreamLink};
     * otherwise as a datagram, or refused when it does not fit one.
     */
    void transmit(PeerAddress to, byte[] packet) throws ChannelException {
        Transport transport = host.transport(node, to.scheme()).orElseThrow(() -> new ChannelException(Reason.CLOSED,
                "node " + node + " has no " + to.scheme() + " transport"));
        if (transport.supportsStreams()) {
            linkTo(transport, to).send(packet);
            return;
        }
        if (packet.length > transport.maxDatagramSize()) {
            throw new ChannelException(Reason.TOO_LARGE, "a packet of " + packet.length + " bytes exceeds what "
                    + to.scheme() + " carries (" + transport.maxDatagramSize() + " bytes) and it has no streams");
        }
        try {
            transport.send(to, packet);
        } catch (TransportException e) {
            throw new ChannelException(e.reason() == TransportException.Reason.TOO_LARGE ? Reason.TOO_LARGE : Reason.CLOSED,
                    "cannot send to " + to + ": " + e.getMessage(), e);
        }
    }

    private StreamLink linkTo(Transport transport, PeerAddress to) throws ChannelException {
        while (true) {
            StreamLink link = links.get(to);
            if (link != null && !link.isEnded() && link.transport() == transport) {
                return link;
            }
            StreamLink fresh = new StreamLink(transport, to, this::linkEnded);
            boolean placed = link == null ? links.putIfAbsent(to, fresh) == null : links.replace(to, link, fresh);
            if (placed) {
                try {
                    host.ioExecutor().execute(fresh);
                } catch (RejectedExecutionException e) {
                    links.remove(to, fresh);
                    counters.add("overloaded");
                    throw new ChannelException(Reason.CLOSED, "no thread free to open a stream to " + to);
                }
                return fresh;
            }
        }
    }

    private void linkEnded(StreamLink link, String reason, int packetsLost) {
        links.remove(link.to(), link);
        if (!"idle".equals(reason)) {
            counters.add(reason);
        }
        for (int i = 0; i < packetsLost; i++) {
            counters.add("send-failed");
        }
    }

    private void transmitQuietly(PeerAddress to, byte[] packet) {
        try {
            transmit(to, packet);
        } catch (ChannelException e) {
            counters.add("send-failed");
        }
    }

    /** Reads length-prefixed packets from an inbound stream until it ends. Runs on an I/O thread. */
    void readFrames(TransportStream stream) {
        try (stream) {
            DataInputStream in = new DataInputStream(stream.input());
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return;
                }
                if (length <= 0 || length > Packets.MAX_PACKET_SIZE) {
                    counters.add("too-large");
                    return;
                }
                byte[] packet = in.readNBytes(length);
                if (packet.length != length) {
                    counters.add("malformed");
                    return;
                }
                onPacket(stream.remote(), packet);
            }
        } catch (IOException e) {
            counters.add("stream-failed");
        }
    }

    private void confirmQuietly(Session session) {
        try {
            session.sendControl(Session.CONTROL_CONFIRM);
        } catch (ChannelException e) {
            counters.add("send-failed");
        }
    }

    // ---- timers and bookkeeping -------------------------------------------------------------

    /** Retransmits, times out, re-keys and forgets; called every few hundred milliseconds. */
    void tick() {
        long now = System.nanoTime();
        for (PendingConnect pc : connectsByIndex.values()) {
            if (now - pc.deadlineNanos > 0) {
                counters.add("handshake-timeout");
                pc.result.completeExceptionally(new ChannelException(Reason.TIMEOUT, "no answer from " + pc.address
                        + " within " + settings.handshakeTimeoutMillis() + " ms"));
            } else if (now - pc.nextRetryNanos > 0 && pc.lastPacket != null && (pc.session == null || !pc.result.isDone())) {
                pc.retryDelayNanos = Math.min(pc.retryDelayNanos * 2, TimeUnit.SECONDS.toNanos(4));
                counters.add("handshake-resent");
                send(pc, pc.lastPacket);
            }
        }
        for (Map.Entry<Long, PendingAccept> e : acceptsByIndex.entrySet()) {
            PendingAccept pa = e.getValue();
            if (now - pa.deadlineNanos > 0) {
                if (pa.session == null) {
                    counters.add("handshake-timeout");
                }
                dropAccept(e.getKey(), pa);
            }
        }
        long skewNanos = TimeUnit.SECONDS.toNanos(settings.maxClockSkewSeconds());
        seenInits.values().removeIf(pa -> now - pa.deadlineNanos > 2 * skewNanos);
        long rekeyNanos = TimeUnit.SECONDS.toNanos(settings.rekeyAfterSeconds());
        long idleNanos = TimeUnit.SECONDS.toNanos(settings.sessionIdleSeconds());
        for (Session s : sessions.keySet()) {
            if (s.idleNanos() > idleNanos) {
                counters.add("session-idle-closed");
                s.closeQuietly(true);
                continue;
            }
            s.expireGrace();
            KeyEpoch e = s.current();
            if (e != null && e.madeAsInitiator() && (e.ageNanos() > rekeyNanos || e.messagesSent() > settings.rekeyAfterMessages())) {
                rekey(s);
            }
        }
        rateLimiter.forgetIdle(now);
    }

    private void dropAccept(long index, PendingAccept pa) {
        if (acceptsByIndex.remove(index, pa)) {
            Responder r = pa.responder;
            if (r != null) {
                r.close();
            }
            if (pa.session == null) {
                sessionsByIndex.remove(index);
            }
        }
    }

    /** The node's identity changed (a suite switch): every session re-keys under it. */
    void identityChanged() {
        for (Session s : sessions.keySet()) {
            s.wantSuiteChange();
            rekey(s);
        }
    }

    void forgetIndex(long index) {
        sessionsByIndex.remove(index);
    }

    void onClosed(Session session) {
        sessions.remove(session);
        sessionsByIndex.values().removeIf(s -> s == session);
    }

    private void remember(Established e) {
        if (peerBook.record(e.peer(), e.suite(), e.peerOffered(), e.peerStaticKem())) {
            host.savePeerBookLater(this);
        }
    }

    private void runHandshakeWork(Runnable work) {
        try {
            host.handshakeExecutor().execute(work);
        } catch (RejectedExecutionException e) {
            counters.add("overloaded");
        }
    }

    private long newIndex() {
        while (true) {
            long index = RANDOM.nextInt() & 0xFFFFFFFFL;
            if (index != 0 && !sessionsByIndex.containsKey(index) && !connectsByIndex.containsKey(index)
                    && !acceptsByIndex.containsKey(index)) {
                return index;
            }
        }
    }

    private static String hostOf(PeerAddress address) {
        String location = address.location();
        int colon = location.lastIndexOf(':');
        return colon > 0 ? location.substring(0, colon) : location;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Closes every session (telling peers) and forgets every key. */
    void close() {
        closed = true;
        for (Session s : new ArrayList<>(sessions.keySet())) {
            s.close();
        }
        for (PendingConnect pc : connectsByIndex.values()) {
            pc.result.completeExceptionally(new ChannelException(Reason.CLOSED, "the channel of node " + node + " closed"));
        }
        for (Map.Entry<Long, PendingAccept> e : acceptsByIndex.entrySet()) {
            dropAccept(e.getKey(), e.getValue());
        }
        staticKeys.values().forEach(KeyPair::destroy);
        staticKeys.clear();
        links.values().forEach(StreamLink::finish);
    }

}
