package org.qdht.kademlia.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
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

/**
 * A colluding attacker that owns some of the nodes. Its nodes answer pings (to stay in tables) and
 * otherwise:
 * <ul>
 * <li>drop a share of FindNode, FindValue and Store requests without a word;</li>
 * <li>eclipse: answer FindNode and FindValue with the attacker's own nodes closest to the target,
 *     never an honest one;</li>
 * <li>accept every store and remember the record, so that it can imitate it;</li>
 * <li>serve forged records for any key asked: the honest record with a higher version and the old
 *     signature ({@link Forgery#BAD_SIGNATURE}), or a record for the honest key signed for real
 *     with the attacker's own key and puzzle ({@link Forgery#OWN_KEY}), or either at random.</li>
 * </ul>
 * Single threaded.
 */
public final class Adversary {
    /** Which forged records the attacker serves. */
    public enum Forgery { NONE, BAD_SIGNATURE, OWN_KEY, BOTH }

    /** Versions the attacker claims above the newest it has seen, so that its record looks newest. */
    static final long VERSION_JUMP = 1_000;
    private static final long FORGED_LIFETIME_MILLIS = 24 * 3_600_000L;

    private final List<SimNode> members = new ArrayList<>();
    private final double dropRate;
    private Forgery forgery;
    private final PublisherIdentity identity;
    private final Map<DhtKey, PublishedRecord> seen = new HashMap<>();
    private final Map<DhtKey, PublishedRecord> badSignature = new HashMap<>();
    private final Map<DhtKey, PublishedRecord> ownKey = new HashMap<>();
    private long forgeriesServed;
    private long ownKeyRecordsServed;
    private long dropped;

    /** @param identity the attacker's own publisher key, with a solved puzzle */
    public Adversary(double dropRate, Forgery forgery, PublisherIdentity identity) {
        this.dropRate = dropRate;
        this.forgery = forgery;
        this.identity = identity;
    }

    void recruit(SimNode node) {
        members.add(node);
        node.respondWith(this::answer);
    }

    /** Serves {@code kind} from now on, to compare forgeries on the same network. */
    public void forgery(Forgery kind) {
        this.forgery = kind;
    }

    public NodeId publisherId() {
        return identity.nodeId();
    }

    public int size() {
        return members.size();
    }

    public long forgeriesServed() {
        return forgeriesServed;
    }

    public long ownKeyRecordsServed() {
        return ownKeyRecordsServed;
    }

    public long dropped() {
        return dropped;
    }

    private Answer answer(SimNode node, NodeId from, Request request) {
        if (request instanceof Ping ping) {
            return new Pong(ping.requestId());
        }
        Scheduler scheduler = node.network().scheduler();
        if (scheduler.random().nextDouble() < dropRate) {
            dropped++;
            return null;
        }
        if (request instanceof FindNode find) {
            return new Nodes(find.requestId(), closestMembers(find.target(), find.count(), from, node));
        }
        if (request instanceof FindValue find) {
            Optional<PublishedRecord> forged = forge(find.key(), scheduler);
            return new Value(find.requestId(), forged, closestMembers(find.key().asNodeId(), find.count(), from, node));
        }
        Store store = (Store) request;
        learn(store.record());
        return new Outcome(store.requestId(), Optional.empty(), "");
    }

    private void learn(PublishedRecord record) {
        PublishedRecord known = seen.get(record.record().key());
        if (known == null || record.record().version() > known.record().version()) {
            seen.put(record.record().key(), record);
        }
    }

    private Optional<PublishedRecord> forge(DhtKey key, Scheduler scheduler) {
        Forgery kind = forgery;
        if (kind == Forgery.BOTH) {
            kind = scheduler.random().nextBoolean() ? Forgery.BAD_SIGNATURE : Forgery.OWN_KEY;
        }
        if (kind == Forgery.BAD_SIGNATURE) {
            PublishedRecord forged = badSignature.computeIfAbsent(key, this::withBadSignature);
            if (forged != null) {
                forgeriesServed++;
            }
            return Optional.ofNullable(forged);
        }
        if (kind == Forgery.OWN_KEY) {
            PublishedRecord own = ownKey.computeIfAbsent(key, k -> signedWithOwnKey(k, scheduler.nowMillis()));
            ownKeyRecordsServed++;
            return Optional.of(own);
        }
        return Optional.empty();
    }

    /** The honest record (or any honest record moved to this key) with a higher version and a signature that no longer fits. */
    private PublishedRecord withBadSignature(DhtKey key) {
        PublishedRecord base = seen.get(key);
        if (base == null) {
            base = seen.values().stream().findFirst().orElse(null);
        }
        if (base == null) {
            return null;
        }
        Record r = base.record();
        long version = (seen.containsKey(key) ? r.version() : 0) + VERSION_JUMP;
        Record forged = Record.unsigned(key, "forged".getBytes(StandardCharsets.US_ASCII), version, r.expiresAtMillis(),
                r.publisher(), r.suite(), r.keyId(), false).withSignature(r.signature());
        return new PublishedRecord(forged, base.publisherKey(), base.puzzleNonce());
    }

    /** A record for someone else's key, validly signed by the attacker: only the store's first-publisher rule stands against it. */
    private PublishedRecord signedWithOwnKey(DhtKey key, long nowMillis) {
        PublishedRecord honest = seen.get(key);
        long version = (honest == null ? 0 : honest.record().version()) + VERSION_JUMP;
        return identity.sign(key, "hijacked".getBytes(StandardCharsets.US_ASCII), version, nowMillis + FORGED_LIFETIME_MILLIS);
    }

    /** The attacker's live nodes closest to {@code target}, except the asker and the answering node. */
    private List<PeerInfo> closestMembers(NodeId target, int count, NodeId asker, SimNode self) {
        SimNode[] best = new SimNode[count];
        int size = 0;
        for (SimNode m : members) {
            if (m == self || !m.isOnline() || m.id().equals(asker)) {
                continue;
            }
            if (size == count && target.compareDistance(m.id(), best[size - 1].id()) >= 0) {
                continue;
            }
            int at = size == count ? size - 1 : size++;
            while (at > 0 && target.compareDistance(m.id(), best[at - 1].id()) < 0) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = m;
        }
        List<PeerInfo> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(best[i].peer());
        }
        return out;
    }
}
