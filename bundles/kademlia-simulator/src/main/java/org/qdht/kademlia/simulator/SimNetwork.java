package org.qdht.kademlia.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.qdht.api.NodeId;
import org.qdht.kademlia.core.DhtMessage;
import org.qdht.kademlia.core.DhtMessage.Request;
import org.qdht.kademlia.core.DhtMessages;

/**
 * The wire between simulated nodes: every message is encoded once with the real codec to count its
 * bytes, then delivered after a drawn delay, lost or retransmitted as {@link NetworkConditions}
 * say. A node that left abruptly swallows what it is sent; one that left gracefully has closed its
 * sessions, so a request to it comes back at once as a failure (the requester's transport sees the
 * session refused). Keeps the registry of nodes and the list of live ones. Single threaded.
 */
public final class SimNetwork {
    private final Scheduler scheduler;
    private NetworkConditions conditions;
    private final Map<NodeId, SimNode> nodes = new HashMap<>();
    private final List<SimNode> live = new ArrayList<>();
    private final Map<NodeId, Integer> liveIndex = new HashMap<>();
    private long messages;
    private long bytes;
    private long lost;
    private long retransmissions;

    public SimNetwork(Scheduler scheduler, NetworkConditions conditions) {
        this.scheduler = scheduler;
        this.conditions = conditions;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public NetworkConditions conditions() {
        return conditions;
    }

    /** Changes latency or loss from now on, to compare conditions on the same tables. */
    public void conditions(NetworkConditions next) {
        this.conditions = next;
    }

    public SplittableRandom random() {
        return scheduler.random();
    }

    /** Registers a node that is about to join. */
    void register(SimNode node) {
        nodes.put(node.id(), node);
    }

    void cameOnline(SimNode node) {
        liveIndex.put(node.id(), live.size());
        live.add(node);
    }

    void wentOffline(SimNode node) {
        Integer at = liveIndex.remove(node.id());
        if (at == null) {
            return;
        }
        SimNode last = live.remove(live.size() - 1);
        if (last != node) {
            live.set(at, last);
            liveIndex.put(last.id(), at);
        }
    }

    public SimNode node(NodeId id) {
        return nodes.get(id);
    }

    public Collection<SimNode> allNodes() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    /** Live nodes in an order that depends only on the history of joins and departures. */
    public List<SimNode> liveNodes() {
        return Collections.unmodifiableList(live);
    }

    public SimNode randomLive() {
        return live.get(random().nextInt(live.size()));
    }

    void send(SimNode from, NodeId to, DhtMessage message, Traffic traffic) {
        int size = DhtMessages.encode(message).length;
        count(size, traffic);
        SplittableRandom random = random();
        SimNode target = nodes.get(to);
        long delay = conditions.latency().sampleMicros(from.linkDelayMicros(), target == null ? 0 : target.linkDelayMicros(), random);
        if (random.nextDouble() < conditions.lossRate()) {
            lost++;
            if (conditions.recovery() == NetworkConditions.LossRecovery.NONE) {
                return;
            }
            long probe = NetworkConditions.PROBE_TIMEOUT_MICROS;
            do {
                delay += probe;
                probe *= 2;
                retransmissions++;
                count(size, traffic);
            } while (random.nextDouble() < conditions.lossRate());
        }
        scheduler.after(delay, () -> deliver(from, to, message, traffic));
    }

    private void count(int size, Traffic traffic) {
        messages++;
        bytes += size;
        traffic.add(size);
    }

    private void deliver(SimNode from, NodeId to, DhtMessage message, Traffic traffic) {
        SimNode target = nodes.get(to);
        if (target == null) {
            return;
        }
        switch (target.state()) {
            case ONLINE -> target.receive(from.id(), message, traffic);
            case LEFT_GRACEFULLY -> {
                if (message instanceof Request request) {
                    // the refusal travels back like any packet
                    long back = conditions.latency().sampleMicros(target.linkDelayMicros(), from.linkDelayMicros(), random());
                    scheduler.after(back, () -> from.sessionRefused(to, request.requestId()));
                }
            }
            default -> {
                // left abruptly or never joined: silence, the requester times out
            }
        }
    }

    public long messages() {
        return messages;
    }

    public long bytes() {
        return bytes;
    }

    public long lostMessages() {
        return lost;
    }

    public long retransmissions() {
        return retransmissions;
    }
}
