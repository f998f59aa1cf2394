package org.qdht.kademlia.core;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.RecordStore;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.FindNode;
import org.qdht.kademlia.core.DhtMessage.FindValue;
import org.qdht.kademlia.core.DhtMessage.Nodes;
import org.qdht.kademlia.core.DhtMessage.Outcome;
import org.qdht.kademlia.core.DhtMessage.Ping;
import org.qdht.kademlia.core.DhtMessage.Pong;
import org.qdht.kademlia.core.DhtMessage.Request;
import org.qdht.kademlia.core.DhtMessage.Store;
import org.qdht.kademlia.core.DhtMessage.Value;
import org.qdht.kademlia.core.RecordCheck.Verdict;

/**
 * Answers the requests of other nodes from this node's routing table and record store, without
 * I/O. A client-mode node answers pings only. Every refusal is counted by reason. Thread safe if
 * the table and store are.
 */
public final class RequestHandler {
    private final RoutingTable table;
    private final RecordStore store;
    private final RecordCheck check;
    private final boolean server;
    private final Counters counters;
    private final LongSupplier clockMillis;

    public RequestHandler(RoutingTable table, RecordStore store, RecordCheck check, boolean server, Counters counters,
            LongSupplier clockMillis) {
        this.table = table;
        this.store = store;
        this.check = check;
        this.server = server;
        this.counters = counters;
        this.clockMillis = clockMillis;
    }

    /** The answer to {@code request} from the authenticated peer {@code from}. */
    public Answer handle(NodeId from, Request request) {
        counters.add("request-" + request.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        if (request instanceof Ping ping) {
            return new Pong(ping.requestId());
        }
        if (!server) {
            counters.add("refused-client-mode");
            return refuse(request.requestId(), DhtException.Reason.NOT_SUPPORTED, "this node is in client mode");
        }
        if (request instanceof FindNode find) {
            return new Nodes(find.requestId(), closestExcept(find.target(), find.count(), from));
        }
        if (request instanceof FindValue find) {
            Optional<PublishedRecord> held = store.findPublished(find.key());
            return new Value(find.requestId(), held, closestExcept(find.key().asNodeId(), find.count(), from));
        }
        Store storeRequest = (Store) request;
        return store(storeRequest);
    }

    private Answer store(Store request) {
        PublishedRecord record = request.record();
        Verdict verdict = check.check(record, clockMillis.getAsLong());
        if (verdict != Verdict.VALID) {
            counters.add(verdict.counterName());
            DhtException.Reason reason = verdict == Verdict.EXPIRED ? DhtException.Reason.EXPIRED : DhtException.Reason.REJECTED;
            return refuse(request.requestId(), reason, "record refused: " + verdict.counterName());
        }
        try {
            store.store(record);
            counters.add("record-stored");
            return new Outcome(request.requestId(), Optional.empty(), "");
        } catch (DhtException e) {
            counters.add("store-" + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            return refuse(request.requestId(), e.reason(), e.getMessage());
        }
    }

    /** At most {@code count} and at most k peers closest to {@code target}, never the requester itself. */
    private List<PeerInfo> closestExcept(NodeId target, int count, NodeId requester) {
        int wanted = Math.min(count, table.parameters().k());
        List<PeerInfo> closest = table.closest(target, wanted + 1);
        closest.removeIf(p -> p.nodeId().equals(requester));
        return closest.size() > wanted ? closest.subList(0, wanted) : closest;
    }

    private static Outcome refuse(int requestId, DhtException.Reason reason, String detail) {
        return new Outcome(requestId, Optional.of(reason.name()), detail == null ? "" : detail);
    }
}
