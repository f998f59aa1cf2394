package org.qdht.kademlia.core;

import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;

/**
 * The Kademlia RPCs, carried on protocol {@code DHT_RPC} of the secure channel (which already
 * authenticates the sender's NodeId, so no message repeats it). Requests carry a request id that
 * the answer echoes, and the sender's own addresses, which the receiver checks with a ping of its
 * own before the sender may enter its table. Encoded by {@link DhtMessages}.
 */
public sealed interface DhtMessage {
    /** Request id the answer echoes; chosen by the requester. */
    int requestId();

    /**
     * Who sent a request: whether it routes and stores for others, and where it listens.
     *
     * @param server    false for a client-mode node, which never enters other tables
     * @param addresses where the sender accepts sessions (empty for a client behind a NAT)
     */
    record Sender(boolean server, List<PeerAddress> addresses) {
        public Sender {
            addresses = List.copyOf(addresses);
            if (addresses.size() > PeerInfo.MAX_ADDRESSES) {
                throw new IllegalArgumentException("at most " + PeerInfo.MAX_ADDRESSES + " addresses");
            }
        }
    }

    /** A request. */
    sealed interface Request extends DhtMessage {
        Sender sender();
    }

    /** An answer to a request. */
    sealed interface Answer extends DhtMessage {
    }

    record Ping(int requestId, Sender sender) implements Request {
    }

    record Pong(int requestId) implements Answer {
    }

    record FindNode(int requestId, Sender sender, NodeId target, int count) implements Request {
    }

    record Nodes(int requestId, List<PeerInfo> peers) implements Answer {
        public Nodes {
            peers = List.copyOf(peers);
        }
    }

    record FindValue(int requestId, Sender sender, DhtKey key, int count) implements Request {
    }

    /** The record the answering node holds for the key, if any, and the peers it knows closest to it. */
    record Value(int requestId, Optional<PublishedRecord> record, List<PeerInfo> closer) implements Answer {
        public Value {
            closer = List.copyOf(closer);
        }
    }

    record Store(int requestId, Sender sender, PublishedRecord record) implements Request {
    }

    /**
     * The outcome of a store or of any refused request.
     *
     * @param refusal empty when stored; otherwise why not, as a {@code DhtException.Reason} name
     * @param detail  a short explanation for the requester's log (at most 200 bytes)
     */
    record Outcome(int requestId, Optional<String> refusal, String detail) implements Answer {
    }
}
