package org.qdht.kademlia.simulator;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.RecordStore;
import org.qdht.kademlia.core.Counters;
import org.qdht.kademlia.core.DhtMessage;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.Outcome;
import org.qdht.kademlia.core.DhtMessage.Ping;
import org.qdht.kademlia.core.DhtMessage.Request;
import org.qdht.kademlia.core.DhtMessage.Sender;
import org.qdht.kademlia.core.DhtMessage.Store;
import org.qdht.kademlia.core.KademliaParameters;
import org.qdht.kademlia.core.RecordCheck;
import org.qdht.kademlia.core.RequestHandler;
import org.qdht.kademlia.core.RoutingTable;
import org.qdht.kademlia.core.RoutingTable.Admission;

/**
 * One simulated node: the core's {@link RoutingTable} and {@link RequestHandler} over an in-memory
 * record store, plus the small RPC layer a real driver has: request ids, timeouts from
 * {@link RoutingTable#timeoutMillis}, and the table upkeep the core leaves to its driver.
 *
 * <p>Upkeep, as SECURITY.md and {@link RoutingTable} ask: a peer enters the table only after it
 * answered one of this node's requests. A requester this node does not know is pinged back (when
 * its bucket has room) and admitted if it answers. When an admission is {@code CACHED}, the
 * bucket's oldest entry is pinged, and {@code responded}/{@code failed} reported. Every timeout is
 * reported to the table with {@code failed}; a refused session (the peer left gracefully) with
 * {@code evict}. A peer is checked at most once per {@link #CHECK_INTERVAL_MILLIS}, as libp2p
 * keeps one pending entry per bucket, so that busy nodes do not ping their oldest entries on
 * every answer. Single threaded.
 */
public final class SimNode {
    /** Where the node is in its life. */
    public enum State { CREATED, ONLINE, LEFT_ABRUPTLY, LEFT_GRACEFULLY }

    /** What becomes of one request. */
    public interface Reply {
        void answered(Answer answer);

        /** No answer: timed out, or the peer's session was refused ({@code gone}). */
        void failed(boolean gone);
    }

    /** Longest a peer goes without a new liveness check or ping back. */
    static final long CHECK_INTERVAL_MILLIS = 60_000;
    private static final int CHECKS_REMEMBERED = 256;

    private static final class Pending {
        final PeerInfo peer;
        final long sentAtMicros;
        final Reply reply;

        Pending(PeerInfo peer, long sentAtMicros, Reply reply) {
            this.peer = peer;
            this.sentAtMicros = sentAtMicros;
            this.reply = reply;
        }
    }

    private final NodeId id;
    private final PeerInfo peer;
    private final Sender sender;
    private final SimNetwork network;
    private final Scheduler scheduler;
    private final RoutingTable table;
    private final MemoryRecordStore store;
    private final Counters counters = new Counters();
    private final RequestHandler handler;
    private final boolean malicious;
    private final long linkDelayMicros;
    private final int timeoutFactor;
    private Responder responder;
    private State state = State.CREATED;
    private int nextRequestId;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final Map<NodeId, Long> checkedAt = new HashMap<>();
    private final Map<DhtKey, Long> storeReceivedAt = new HashMap<>(2);

    SimNode(NodeId id, PeerAddress address, KademliaParameters parameters, RecordCheck check, RecordStore.Limits limits,
            SimNetwork network, boolean malicious, int timeoutFactor) {
        this.id = id;
        this.peer = PeerInfo.of(id, List.of(address));
        this.sender = new Sender(true, List.of(address));
        this.network = network;
        this.scheduler = network.scheduler();
        this.table = new RoutingTable(id, parameters);
        this.store = new MemoryRecordStore(limits, scheduler::nowMillis);
        this.handler = new RequestHandler(table, store, check, true, counters, scheduler::nowMillis);
        this.malicious = malicious;
        this.linkDelayMicros = network.conditions().latency().nodeDelayMicros(network.random());
        this.timeoutFactor = timeoutFactor;
        this.responder = SimNode::answerHonestly;
        network.register(this);
    }

    public NodeId id() {
        return id;
    }

    public PeerInfo peer() {
        return peer;
    }

    public Sender sender() {
        return sender;
    }

    public RoutingTable table() {
        return table;
    }

    public MemoryRecordStore store() {
        return store;
    }

    public Counters counters() {
        return counters;
    }

    public RequestHandler handler() {
        return handler;
    }

    /** This node's fixed share of every message delay (its access link). */
    public long linkDelayMicros() {
        return linkDelayMicros;
    }

    public boolean isMalicious() {
        return malicious;
    }

    public State state() {
        return state;
    }

    public boolean isOnline() {
        return state == State.ONLINE;
    }

    public SimNetwork network() {
        return network;
    }

    void respondWith(Responder r) {
        this.responder = r;
    }

    void goOnline() {
        state = State.ONLINE;
        network.cameOnline(this);
    }

    /** Leaves: abruptly (silence) or gracefully (sessions closed; see {@link SimNetwork}). Pending requests die with the node. */
    void leave(boolean gracefully) {
        state = gracefully ? State.LEFT_GRACEFULLY : State.LEFT_ABRUPTLY;
        pending.clear();
        network.wentOffline(this);
    }

    /** When this node last received a store of {@code key}: a node that did skips its own republish (Kademlia, section 2.5). */
    Long storeReceivedAt(DhtKey key) {
        return storeReceivedAt.get(key);
    }

    /**
     * Sends a request built for a fresh request id; {@code reply} hears exactly once, unless this
     * node leaves first. The RPC layer gives up after {@code timeoutMillis} times the timeout
     * factor: with a factor of 1 the request fails at the deadline; with more, a lookup has already
     * marked it overdue at its deadline and moved on, but can still use a late answer.
     */
    public void request(PeerInfo to, IntFunction<Request> build, long timeoutMillis, Traffic traffic, Reply reply) {
        if (!isOnline()) {
            return;
        }
        int requestId = nextRequestId++;
        pending.put(requestId, new Pending(to, scheduler.nowMicros(), reply));
        network.send(this, to.nodeId(), build.apply(requestId), traffic);
        scheduler.after(timeoutMillis * 1_000 * timeoutFactor, () -> timedOut(requestId));
    }

    /** Pings {@code to}; the answer or the failure reaches the table through the usual paths. */
    public void ping(PeerInfo to) {
        ping(to, Publishing.IGNORE_REPLY);
    }

    /** Pings {@code to} and tells {@code reply} too. */
    public void ping(PeerInfo to, Reply reply) {
        request(to, rid -> new Ping(rid, sender), table.timeoutMillis(to.nodeId()), Traffic.NONE, reply);
    }

    void receive(NodeId from, DhtMessage message, Traffic traffic) {
        if (!isOnline()) {
            return;
        }
        if (message instanceof Answer answer) {
            onAnswer(from, answer);
            return;
        }
        Request request = (Request) message;
        Answer answer = responder.answer(this, from, request);
        if (answer != null) {
            network.send(this, from, answer, traffic);
        }
        maybePingBack(from, request.sender());
    }

    void sessionRefused(NodeId from, int requestId) {
        Pending p = pending.get(requestId);
        if (!isOnline() || p == null || !p.peer.nodeId().equals(from)) {
            return;
        }
        pending.remove(requestId);
        table.evict(from); // it left: no point in waiting for maxFailures
        p.reply.failed(true);
    }

    private void onAnswer(NodeId from, Answer answer) {
        Pending p = pending.get(answer.requestId());
        if (p == null || !p.peer.nodeId().equals(from)) {
            counters.add("sim-late-or-unsolicited-answer");
            return;
        }
        pending.remove(answer.requestId());
        long nowMillis = scheduler.nowMillis();
        admitAnswered(p.peer, nowMillis);
        table.responded(from, nowMillis, scheduler.nowMicros() - p.sentAtMicros);
        p.reply.answered(answer);
    }

    private void timedOut(int requestId) {
        Pending p = pending.remove(requestId);
        if (p == null || !isOnline()) {
            return;
        }
        counters.add("sim-timeout");
        table.failed(p.peer.nodeId());
        p.reply.failed(false);
    }

    /** The admission rule: offered only after it answered; a full bucket asks for a liveness check of its oldest entry. */
    private void admitAnswered(PeerInfo answered, long nowMillis) {
        Admission admission = table.admit(answered, nowMillis);
        if (admission.outcome() == RoutingTable.Outcome.CACHED && admission.checkLiveness().isPresent()) {
            PeerInfo oldest = admission.checkLiveness().get();
            if (checkDue(oldest.nodeId(), nowMillis)) {
                counters.add("sim-liveness-check");
                ping(oldest);
            }
        }
    }

    /** An unknown requester is pinged back before it may enter the table; only worth it while its bucket has room. */
    private void maybePingBack(NodeId from, Sender requester) {
        if (!requester.server() || requester.addresses().isEmpty() || table.contains(from)) {
            return;
        }
        int bucket = table.bucketIndex(from);
        if (bucket >= NodeId.BITS || table.bucketSizes()[bucket] >= table.parameters().k()) {
            return;
        }
        long now = scheduler.nowMillis();
        if (checkDue(from, now)) {
            counters.add("sim-ping-back");
            // the simulator's one PeerInfo per node carries the same addresses; sharing it keeps 10,000 tables small
            SimNode known = network.node(from);
            ping(known != null && known.peer.addresses().equals(requester.addresses()) ? known.peer
                    : PeerInfo.of(from, requester.addresses()));
        }
    }

    private boolean checkDue(NodeId peerId, long nowMillis) {
        Long last = checkedAt.get(peerId);
        if (last != null && nowMillis - last < CHECK_INTERVAL_MILLIS) {
            return false;
        }
        if (checkedAt.size() >= CHECKS_REMEMBERED) {
            Iterator<Long> it = checkedAt.values().iterator();
            while (it.hasNext()) {
                if (nowMillis - it.next() >= CHECK_INTERVAL_MILLIS) {
                    it.remove();
                }
            }
            if (checkedAt.size() >= CHECKS_REMEMBERED) {
                return false; // a flood of strangers: check them later
            }
        }
        checkedAt.put(peerId, nowMillis);
        return true;
    }

    private static Answer answerHonestly(SimNode node, NodeId from, Request request) {
        Answer answer = node.handler.handle(from, request);
        if (request instanceof Store store && answer instanceof Outcome outcome && outcome.refusal().isEmpty()) {
            node.storeReceivedAt.put(store.record().record().key(), node.scheduler.nowMillis());
        }
        return answer;
    }
}
