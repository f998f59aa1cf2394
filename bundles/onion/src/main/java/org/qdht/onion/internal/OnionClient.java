package org.qdht.onion.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.anonymity.AnonymityException;
import org.qdht.api.anonymity.AnonymityException.Reason;
import org.qdht.api.anonymity.AnonymousDht;
import org.qdht.api.anonymity.CircuitInfo;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.onion.core.OnionMessages;
import org.qdht.onion.core.OnionException;
import org.qdht.onion.core.Packet;
import org.qdht.onion.core.PacketFormat;
import org.qdht.onion.core.Surb;
import org.qdht.onion.core.SurbPair;
import org.qdht.onion.core.SurbSecrets;
import org.qdht.onion.core.OnionMessages.Found;
import org.qdht.onion.core.OnionMessages.Kind;
import org.qdht.onion.core.OnionMessages.Peers;
import org.qdht.onion.core.OnionMessages.Refused;
import org.qdht.onion.core.OnionMessages.Reply;
import org.qdht.onion.core.OnionMessages.Request;
import org.qdht.onion.core.OnionMessages.Stored;

/**
 * The anonymous DHT of one node: every operation goes to an exit relay through a circuit, with a
 * single-use reply block for the answer, so neither the exit nor any relay but the entry learns
 * which node asked, and the entry learns nothing of what was asked. Records coming back are
 * checked here (signature, publisher puzzle, expiry, key), since the exit may lie. Thread safe.
 */
final class OnionClient implements AnonymousDht {
    /** A request waiting for its answer; the reply block's one-time key identifies the answer. */
    private record Pending(Kind kind, byte[] requestId, SurbSecrets secrets, Circuit circuit, CompletableFuture<Reply> answer) {
    }

    private final String name;
    private final NodeIdentity identity;
    private final PacketFormat format;
    private final RelayDirectory directory;
    private final PathSelector paths;
    private final PacketSender sender;
    private final SignatureVerifier verifier;
    private final OnionSettings settings;
    private final Counters counters;
    private final ScheduledExecutorService timer;
    private final Supplier<Optional<PeerAddress>> ownAddress;
    private final Supplier<CompletableFuture<Integer>> refreshDirectory;
    private final SecureRandom random;
    private final Map<KeyId, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong circuitIds = new AtomicLong();
    private volatile Circuit circuit;
    private volatile boolean closed;

    OnionClient(String name, NodeIdentity identity, PacketFormat format, RelayDirectory directory, PacketSender sender,
            SignatureVerifier verifier, OnionSettings settings, Counters counters, ScheduledExecutorService timer,
            Supplier<Optional<PeerAddress>> ownAddress, Supplier<CompletableFuture<Integer>> refreshDirectory, SecureRandom random) {
        this.name = name;
        this.identity = identity;
        this.format = format;
        this.directory = directory;
        this.paths = new PathSelector(random);
        this.sender = sender;
        this.verifier = verifier;
        this.settings = settings;
        this.counters = counters;
        this.timer = timer;
        this.ownAddress = ownAddress;
        this.refreshDirectory = refreshDirectory;
        this.random = random;
    }

    @Override
    public CompletionStage<Optional<Record>> get(DhtKey key) {
        return request(Kind.GET, (id, surb) -> new OnionMessages.Get(id, surb, key)).thenApply(reply -> {
            Optional<PublishedRecord> found = ((Found) reply).record();
            if (found.isPresent() && !acceptable(found.get(), key)) {
                counters.add("reply-record-refused");
                throw new java.util.concurrent.CompletionException(new AnonymityException(Reason.REJECTED,
                        "the exit answered with a record that does not verify"));
            }
            return found.map(PublishedRecord::record).filter(r -> !r.isTombstone());
        });
    }

    @Override
    public CompletionStage<Integer> put(Record record) {
        if (!record.isSigned() || !record.publisher().equals(identity.nodeId()) || !record.keyId().equals(identity.signingKey().keyId())) {
            return CompletableFuture.failedFuture(new AnonymityException(Reason.REJECTED, "node " + name
                    + " puts only records signed with its current identity key",
                    new DhtException(DhtException.Reason.REJECTED, "not signed with the node's current identity key")));
        }
        PublishedRecord published = new PublishedRecord(record, identity.signingKey(), identity.puzzleNonce());
        return request(Kind.PUT, (id, surb) -> new OnionMessages.Put(id, surb, published)).thenApply(reply -> ((Stored) reply).copies());
    }

    /** Stores a record of any publisher through a circuit: how mailbox entries signed by one-time keys are deposited. */
    CompletableFuture<Integer> putPublished(PublishedRecord published) {
        return request(Kind.PUT, (id, surb) -> new OnionMessages.Put(id, surb, published)).thenApply(reply -> ((Stored) reply).copies());
    }

    @Override
    public CompletionStage<List<PeerInfo>> lookup(NodeId target, int count) {
        if (count < 1 || count > OnionMessages.MAX_LOOKUP_COUNT) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("count must be 1-" + OnionMessages.MAX_LOOKUP_COUNT));
        }
        return request(Kind.LOOKUP, (id, surb) -> new OnionMessages.Lookup(id, surb, target, count)).thenApply(reply -> ((Peers) reply).peers());
    }

    @Override
    public int maxPayloadSize() {
        return format.maxMessageSize() - (2 + OnionMessages.REQUEST_ID_LENGTH + format.surbSize());
    }

    @Override
    public List<CircuitInfo> circuits() {
        Circuit c = circuit;
        return c == null || c.isExpired(System.currentTimeMillis()) ? List.of() : List.of(c.info());
    }

    /** The circuit requests use now; a new one when there is none or it expired. */
    Circuit circuit() throws AnonymityException {
        long now = System.currentTimeMillis();
        Circuit c = circuit;
        if (c != null && !c.isExpired(now)) {
            return c;
        }
        long epoch = settings.epochAt(now);
        List<RelayInfo> chosen = paths.choose(directory.relays(epoch), settings.hops(), identity.nodeId());
        if (chosen.size() < settings.hops()) {
            throw new AnonymityException(Reason.NOT_ENOUGH_RELAYS, "node " + name + " knows " + directory.relays(epoch).size()
                    + " relays of this epoch in distinct networks, a circuit needs " + settings.hops());
        }
        // the relays' keys of this epoch are destroyed one epoch after it ends
        long expires = Math.min(now + settings.circuitMillis(), settings.epochEnd(epoch + 1) - 1);
        c = new Circuit(circuitIds.incrementAndGet(), chosen, now, Math.max(expires, now + 1));
        circuit = c;
        counters.add("circuits-built");
        return c;
    }

    /** Sends a request; with too few relays known (as right after a start) the directory is refreshed once first. */
    private CompletableFuture<Reply> request(Kind kind, BiFunction<byte[], Surb, Request> make) {
        CompletableFuture<Reply> first = send(kind, make);
        return first.handle((reply, error) -> {
            if (error instanceof AnonymityException a && a.reason() == Reason.NOT_ENOUGH_RELAYS) {
                counters.add("directory-refreshed-on-demand");
                return refreshDirectory.get().handle((n, e) -> null).thenCompose(v -> send(kind, make));
            }
            return first;
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Reply> send(Kind kind, BiFunction<byte[], Surb, Request> make) {
        if (closed) {
            return CompletableFuture.failedFuture(new AnonymityException(Reason.NO_CIRCUIT, "onion routing of node " + name + " is stopped"));
        }
        try {
            Optional<PeerAddress> self = ownAddress.get();
            if (self.isEmpty()) {
                throw new AnonymityException(Reason.NO_CIRCUIT, "node " + name + " has no address to receive answers on");
            }
            Circuit c = circuit();
            byte[] requestId = new byte[OnionMessages.REQUEST_ID_LENGTH];
            random.nextBytes(requestId);
            SurbPair surb = format.newSurb(c.replyHops(), identity.nodeId(), self.get());
            byte[] message = OnionMessages.encode(make.apply(requestId, surb.surb()));
            if (message.length > format.maxMessageSize()) {
                surb.secrets().destroy();
                throw new AnonymityException(Reason.TOO_LARGE, "the request of " + message.length + " bytes exceeds the "
                        + format.maxMessageSize() + " a packet carries");
            }
            Packet packet = format.forward(c.forwardHops(), message);
            CompletableFuture<Reply> answer = new CompletableFuture<>();
            KeyId key = surb.secrets().keyId();
            pending.put(key, new Pending(kind, requestId, surb.secrets(), c, answer));
            var timeout = timer.schedule(() -> expire(key), settings.operationTimeoutMillis(), TimeUnit.MILLISECONDS);
            answer.whenComplete((r, e) -> timeout.cancel(false));
            counters.add("requests-sent");
            sender.send(packet.firstNode(), packet.firstAddress(), packet.bytes());
            return answer.thenApply(reply -> {
                if (reply instanceof Refused r) {
                    throw new java.util.concurrent.CompletionException(refusal(r));
                }
                return reply;
            });
        } catch (AnonymityException e) {
            return CompletableFuture.failedFuture(e);
        } catch (OnionException e) {
            Reason reason = e.reason() == OnionException.Reason.TOO_LARGE ? Reason.TOO_LARGE : Reason.NO_CIRCUIT;
            return CompletableFuture.failedFuture(new AnonymityException(reason, e.getMessage(), e));
        }
    }

    private static AnonymityException refusal(Refused r) {
        if (r.reason().equals("TOO_LARGE")) {
            return new AnonymityException(Reason.TOO_LARGE, r.message());
        }
        DhtException.Reason dhtReason;
        try {
            dhtReason = DhtException.Reason.valueOf(r.reason());
        } catch (IllegalArgumentException e) {
            dhtReason = DhtException.Reason.REJECTED;
        }
        return new AnonymityException(Reason.REJECTED, "the exit could not do it: " + r.message(), new DhtException(dhtReason, r.message()));
    }

    private void expire(KeyId key) {
        Pending p = pending.remove(key);
        if (p != null) {
            p.secrets().destroy();
            counters.add("requests-timed-out");
            if (circuit == p.circuit()) {
                circuit = null; // a relay of it may be gone: the next request builds another
            }
            p.answer().completeExceptionally(new AnonymityException(Reason.TIMEOUT, "no answer through the circuit within "
                    + settings.operationTimeoutMillis() + " ms"));
        }
    }

    /** Whether {@code id} is the one-time key of a reply block this client is waiting on. */
    boolean awaits(KeyId id) {
        return pending.containsKey(id);
    }

    /** A packet that arrived on the one-time key of a reply block. */
    void onReply(KeyId key, byte[] packet) {
        Pending p = pending.remove(key);
        if (p == null) {
            counters.add("reply-unexpected");
            return;
        }
        try {
            byte[] message = p.secrets().open(packet);
            Reply reply = OnionMessages.decodeReply(message, p.kind());
            if (!Arrays.equals(reply.requestId(), p.requestId())) {
                throw new org.qdht.api.wire.WireFormatException(org.qdht.api.wire.WireFormatException.Reason.MALFORMED, 1,
                        "the reply answers another request");
            }
            counters.add("replies-received");
            p.answer().complete(reply);
        } catch (OnionException e) {
            counters.add("reply-" + e.counterName());
            p.answer().completeExceptionally(new AnonymityException(Reason.REJECTED, "the answer was tampered with: " + e.getMessage(), e));
        } catch (Exception e) {
            counters.add("reply-malformed");
            p.answer().completeExceptionally(new AnonymityException(Reason.REJECTED, "the answer is malformed: " + e.getMessage(), e));
        } finally {
            p.secrets().destroy();
        }
    }

    private boolean acceptable(PublishedRecord published, DhtKey key) {
        return ExitAnswers.acceptable(published, key, verifier, settings.minPublisherPuzzleDifficulty(), System.currentTimeMillis());
    }

    void close() {
        closed = true;
        for (KeyId key : new ArrayList<>(pending.keySet())) {
            Pending p = pending.remove(key);
            if (p != null) {
                p.secrets().destroy();
                p.answer().completeExceptionally(new AnonymityException(Reason.NO_CIRCUIT, "onion routing of node " + name + " stopped"));
            }
        }
    }
}
