package org.qdht.routing.kademlia.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.routing.DhtException;
import org.qdht.kademlia.core.Counters;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.Request;
import org.qdht.kademlia.core.DhtMessages;

/**
 * Sends DHT requests over secure sessions and matches answers to them by request id. An answer
 * counts only if it comes from the peer the request went to (the session authenticates it) and
 * the request is still open; anything else is counted and dropped. Thread safe.
 */
final class RpcClient {
    /** Extra time a request gets when it first needs a handshake with the peer. */
    static final long HANDSHAKE_ALLOWANCE_MILLIS = 5_000;
    /** Open requests per node; beyond it new requests fail at once rather than pile up. */
    static final int MAX_PENDING = 4_096;

    /** An answer and what it says about the peer. */
    record Reply(Answer answer, NodeId from, PeerAddress via, long roundTripMicros) {
    }

    private record Pending(Optional<NodeId> peer, PeerAddress via, CompletableFuture<Reply> reply, long sentNanos) {
    }

    private final SecureChannels channels;
    private final ScheduledExecutorService timer;
    private final Counters counters;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final Set<NodeId> connected = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextRequestId = new AtomicInteger(new java.security.SecureRandom().nextInt());
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private volatile boolean closed;

    RpcClient(SecureChannels channels, ScheduledExecutorService timer, Counters counters) {
        this.channels = channels;
        this.timer = timer;
        this.counters = counters;
    }

    /**
     * Sends the request that {@code make} builds for a fresh request id to the first of
     * {@code addresses} that connects, expecting {@code peer} there if present.
     */
    CompletableFuture<Reply> request(List<PeerAddress> addresses, Optional<NodeId> peer, IntFunction<Request> make, long timeoutMillis) {
        if (closed) {
            return CompletableFuture.failedFuture(new DhtException(DhtException.Reason.CLOSED, "routing is stopping"));
        }
        if (pending.size() >= MAX_PENDING) {
            counters.add("rpc-overloaded");
            return CompletableFuture.failedFuture(new DhtException(DhtException.Reason.TIMEOUT, "too many open requests"));
        }
        long budget = timeoutMillis + (peer.isPresent() && connected.contains(peer.get()) ? 0 : HANDSHAKE_ALLOWANCE_MILLIS);
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        connect(addresses, 0, peer).whenComplete((session, error) -> {
            if (error != null) {
                peer.ifPresent(connected::remove);
                counters.add("rpc-connect-failed");
                reply.completeExceptionally(new DhtException(DhtException.Reason.NO_ROUTE, "cannot reach "
                        + peer.map(NodeId::toShortString).orElse(String.valueOf(addresses)) + ": " + rootMessage(error), error));
                return;
            }
            connected.add(session.peer());
            int id = nextRequestId.incrementAndGet();
            Request request = make.apply(id);
            byte[] bytes = DhtMessages.encode(request);
            pending.put(id, new Pending(peer, session.info().remote(), reply, System.nanoTime()));
            try {
                session.send(Protocols.DHT_RPC, bytes);
                bytesSent.addAndGet(bytes.length);
            } catch (ChannelException e) {
                pending.remove(id);
                connected.remove(session.peer());
                reply.completeExceptionally(new DhtException(DhtException.Reason.NO_ROUTE, "send failed: " + e.getMessage(), e));
                return;
            }
            reply.whenComplete((r, e) -> pending.remove(id));
        });
        java.util.concurrent.ScheduledFuture<?> timeout = timer.schedule(() -> {
            if (reply.completeExceptionally(new DhtException(DhtException.Reason.TIMEOUT, "no answer within " + budget + " ms"))) {
                counters.add("rpc-timeout");
            }
        }, budget, TimeUnit.MILLISECONDS);
        reply.whenComplete((r, e) -> timeout.cancel(false)); // else each answered request stays queued until its timeout
        return reply;
    }

    /** An answer arrived on {@code session}. */
    void onAnswer(SecureSession session, Answer answer, int size) {
        bytesReceived.addAndGet(size);
        Pending p = pending.get(answer.requestId());
        if (p == null) {
            counters.add("answer-unexpected");
            return;
        }
        if (p.peer().isPresent() && !p.peer().get().equals(session.peer())) {
            counters.add("answer-wrong-peer"); // another peer guessed or replayed an id: the request stays open
            return;
        }
        pending.remove(answer.requestId());
        long micros = (System.nanoTime() - p.sentNanos()) / 1_000;
        p.reply().complete(new Reply(answer, session.peer(), p.via(), micros));
    }

    void countSent(int bytes) {
        bytesSent.addAndGet(bytes);
    }

    void countReceived(int bytes) {
        bytesReceived.addAndGet(bytes);
    }

    long bytesSent() {
        return bytesSent.get();
    }

    long bytesReceived() {
        return bytesReceived.get();
    }

    int pending() {
        return pending.size();
    }

    void close() {
        closed = true;
        for (Pending p : pending.values()) {
            p.reply().completeExceptionally(new DhtException(DhtException.Reason.CLOSED, "routing is stopping"));
        }
        pending.clear();
    }

    private CompletableFuture<SecureSession> connect(List<PeerAddress> addresses, int index, Optional<NodeId> peer) {
        if (index >= addresses.size()) {
            return CompletableFuture.failedFuture(new DhtException(DhtException.Reason.NO_ROUTE, "no address left to try"));
        }
        return channels.connect(addresses.get(index), peer).toCompletableFuture()
                .handle((session, error) -> error == null ? CompletableFuture.completedFuture(session)
                        : index + 1 < addresses.size() ? connect(addresses, index + 1, peer)
                        : CompletableFuture.<SecureSession>failedFuture(error))
                .thenCompose(f -> f);
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t.getCause() != null && t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
