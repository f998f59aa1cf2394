package org.qdht.kademlia.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.KademliaParameters;

/**
 * What a live node does now and then to stay useful under churn, one step after another:
 * <ol>
 * <li>liveness check of idle entries ({@code notSeenSince}): each is pinged, and pinged once more
 *     if it does not answer, so that a departed peer reaches {@code maxFailures} (2) and is
 *     evicted, and a replacement promoted, before lookups trip over it;</li>
 * <li>bucket refresh: a lookup of a random id in every bucket the table names in
 *     {@code bucketsToRefresh} (no lookup since the given time), which finds replacements for
 *     departed entries and evicts dead ones through their failures;</li>
 * <li>republish by storers (Kademlia, section 2.5): every record it stores goes again to the k
 *     peers now closest to its key, found by a lookup, unless the node itself received a store of
 *     that key since the given time; it then assumes another storer has just republished it. Storers
 *     rather than publishers republish, because the publisher may have left with the others.</li>
 * </ol>
 * Single threaded.
 */
final class Maintenance {
    private Maintenance() {
    }

    /** Pings the entries not seen since {@code sinceMillis} (twice if need be), then runs {@code done}. */
    static void checkIdle(SimNode node, long sinceMillis, Runnable done) {
        List<PeerInfo> idle = node.table().notSeenSince(sinceMillis);
        if (idle.isEmpty()) {
            done.run();
            return;
        }
        int[] waiting = {idle.size()};
        Runnable settle = () -> {
            if (--waiting[0] == 0) {
                done.run();
            }
        };
        for (PeerInfo peer : idle) {
            node.ping(peer, new SimNode.Reply() {
                private boolean retried;

                @Override
                public void answered(Answer answer) {
                    settle.run();
                }

                @Override
                public void failed(boolean gone) {
                    if (!gone && !retried && node.table().contains(peer.nodeId())) {
                        retried = true;
                        node.ping(peer, this);
                    } else {
                        settle.run();
                    }
                }
            });
        }
    }

    /** Refreshes the buckets not looked up since {@code sinceMillis}, one lookup at a time, then runs {@code done}. */
    static void refresh(SimNode node, KademliaParameters p, Random random, long sinceMillis, Runnable done) {
        refreshNext(node, p, random, new ArrayList<>(node.table().bucketsToRefresh(sinceMillis)), 0, done);
    }

    private static void refreshNext(SimNode node, KademliaParameters p, Random random, List<Integer> buckets, int at, Runnable done) {
        if (!node.isOnline()) {
            return;
        }
        if (at == buckets.size()) {
            done.run();
            return;
        }
        new PeerLookupRun(node, node.table().randomIdInBucket(buckets.get(at), random), p)
                .start(r -> refreshNext(node, p, random, buckets, at + 1, done));
    }

    /** Republishes the records this node stores that nobody re-stored here since {@code sinceMillis}. */
    static void republish(SimNode node, KademliaParameters p, long sinceMillis, Runnable done) {
        republishNext(node, p, node.store().allPublished(), 0, sinceMillis, done);
    }

    private static void republishNext(SimNode node, KademliaParameters p, List<PublishedRecord> held, int at, long sinceMillis,
            Runnable done) {
        if (!node.isOnline()) {
            return;
        }
        if (at == held.size()) {
            done.run();
            return;
        }
        PublishedRecord record = held.get(at);
        // checked when its turn comes: a store that arrived meanwhile means another storer just did it
        Long received = node.storeReceivedAt(record.record().key());
        if (received != null && received >= sinceMillis) {
            republishNext(node, p, held, at + 1, sinceMillis, done);
            return;
        }
        Publishing.put(node, record, p, result -> republishNext(node, p, held, at + 1, sinceMillis, done));
    }
}
