package org.qdht.kademlia.simulator;

import java.util.List;
import java.util.function.Consumer;

import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.Outcome;
import org.qdht.kademlia.core.DhtMessage.Store;
import org.qdht.kademlia.core.KademliaParameters;

/**
 * A put: a lookup of the k peers closest to the record's key, then a Store to each of them. Used by
 * publishers and by storers that republish. Single threaded.
 */
final class Publishing {
    /** For stores whose outcome nobody waits for. */
    static final SimNode.Reply IGNORE_REPLY = new SimNode.Reply() {
        @Override
        public void answered(Answer answer) {
        }

        @Override
        public void failed(boolean gone) {
        }
    };

    /** What a put achieved. */
    record PutResult(int stored, int asked, Traffic traffic) {
    }

    private Publishing() {
    }

    static void put(SimNode origin, PublishedRecord record, KademliaParameters parameters, Consumer<PutResult> done) {
        new PeerLookupRun(origin, record.record().key().asNodeId(), parameters).start(run -> {
            List<PeerInfo> closest = ((PeerLookupRun) run).result();
            storeOn(origin, closest, record, run.traffic(), done);
        });
    }

    /** Stores {@code record} on every peer of {@code targets} and reports how many accepted it. */
    static void storeOn(SimNode origin, List<PeerInfo> targets, PublishedRecord record, Traffic traffic, Consumer<PutResult> done) {
        if (targets.isEmpty()) {
            done.accept(new PutResult(0, 0, traffic));
            return;
        }
        int[] waiting = {targets.size()};
        int[] stored = {0};
        for (PeerInfo peer : targets) {
            origin.request(peer, rid -> new Store(rid, origin.sender(), record), origin.table().timeoutMillis(peer.nodeId()), traffic,
                    new SimNode.Reply() {
                        @Override
                        public void answered(Answer answer) {
                            if (answer instanceof Outcome outcome && outcome.refusal().isEmpty()) {
                                stored[0]++;
                            }
                            settle();
                        }

                        @Override
                        public void failed(boolean gone) {
                            settle();
                        }

                        private void settle() {
                            if (--waiting[0] == 0) {
                                done.accept(new PutResult(stored[0], targets.size(), traffic));
                            }
                        }
                    });
        }
    }
}
