package org.qdht.kademlia.simulator;

import org.qdht.api.NodeId;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.Request;

/** How a node answers requests: honestly through the core's RequestHandler, or as an attacker. */
@FunctionalInterface
public interface Responder {
    /** The answer to send back to {@code from}, or null to drop the request without a word. */
    Answer answer(SimNode node, NodeId from, Request request);
}
