package org.qdht.routing.kademlia.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.qdht.api.NodeId;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.kademlia.core.LookupStats;
import org.qdht.kademlia.core.PeerLookup;
import org.qdht.kademlia.core.TableEntry;

/**
 * Gogo commands of Kademlia routing (scope {@code qdht}): store and find values by name, look up
 * peers, and show the routing table. Values are UTF-8 text signed by the node's identity; the
 * version is the current time, so a later put of the same name replaces an earlier one.
 */
public final class KademliaCommands {
    static final String[] FUNCTIONS = {"put", "get", "unpublish", "peers", "lookup", "routes", "dht", "leave", "rejoin"};
    private static final long DEFAULT_TTL_SECONDS = 24 * 3_600;
    private static final long WAIT_SECONDS = 60;

    private final KademliaComponent component;

    KademliaCommands(KademliaComponent component) {
        this.component = component;
    }

    /** qdht:put <node> <name> <value> [ttl-seconds] - signs a record and stores it on the k closest nodes. */
    public String put(String node, String name, String value, String... ttl) throws Exception {
        KademliaNode k = node(node);
        long ttlSeconds = ttl.length > 0 ? Long.parseLong(ttl[0]) : DEFAULT_TTL_SECONDS;
        Record record = sign(k.identity(), DhtKey.ofName(name), value.getBytes(StandardCharsets.UTF_8), ttlSeconds, false);
        long started = System.nanoTime();
        int copies = await(k.put(record).toCompletableFuture());
        return String.format("stored '%s' (key %s, version %d) on %d nodes in %.1f ms", name, record.key().toHex().substring(0, 16),
                record.version(), copies, (System.nanoTime() - started) / 1e6);
    }

    /** qdht:get <node> <name> - finds the newest record for a name and checks its signature. */
    public String get(String node, String name) throws Exception {
        KademliaNode k = node(node);
        long started = System.nanoTime();
        Optional<PublishedRecord> found = await(k.getPublished(DhtKey.ofName(name)));
        double millis = (System.nanoTime() - started) / 1e6;
        if (found.isEmpty()) {
            return String.format("no record for '%s' (%.1f ms)", name, millis);
        }
        Record r = found.get().record();
        if (r.isTombstone()) {
            return String.format("'%s' was removed by %s (version %d, %.1f ms)", name, r.publisher().toShortString(), r.version(), millis);
        }
        return String.format("%s%n  publisher %s, suite %s, version %d, expires %s, signature verified (%.1f ms)",
                new String(r.value(), StandardCharsets.UTF_8), r.publisher().toShortString(), r.suite().name(), r.version(),
                Instant.ofEpochMilli(r.expiresAtMillis()), millis);
    }

    /** qdht:unpublish <node> <name> - removes this node's value for a name by storing a signed tombstone. */
    public String unpublish(String node, String name) throws Exception {
        KademliaNode k = node(node);
        Record tombstone = sign(k.identity(), DhtKey.ofName(name), new byte[0], DEFAULT_TTL_SECONDS, true);
        int copies = await(k.remove(tombstone).toCompletableFuture());
        return "tombstone for '" + name + "' stored on " + copies + " nodes";
    }

    /** qdht:peers [node] - the peers in each node's routing table, closest buckets first. */
    public String peers(String... node) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-10s %-17s %6s %-30s %9s %8s%n", "NODE", "PEER", "BUCKET", "ADDRESS", "RTT-MS", "SEEN-S"));
        long now = System.currentTimeMillis();
        for (Map.Entry<String, KademliaNode> e : selected(node).entrySet()) {
            KademliaNode k = e.getValue();
            for (TableEntry entry : k.table().entries()) {
                long rtt = entry.smoothedRoundTripMicros();
                out.append(String.format("%-10s %-17s %6d %-30s %9s %8d%n", e.getKey(), entry.nodeId().toShortString(),
                        k.table().bucketIndex(entry.nodeId()), entry.peer().addresses().get(0),
                        rtt < 0 ? "-" : String.format("%.2f", rtt / 1000.0), (now - entry.lastSeenMillis()) / 1000));
            }
        }
        return out.toString();
    }

    /**
     * qdht:lookup <node> <name | 64-hex-id> - an iterative lookup of the k closest peers, with its
     * hops, requests and time.
     */
    public String lookup(String node, String target) throws Exception {
        KademliaNode k = node(node);
        NodeId id = target.matches("[0-9a-fA-F]{64}") ? NodeId.fromHex(target) : DhtKey.ofName(target).asNodeId();
        long started = System.nanoTime();
        PeerLookup done = await(k.traceLookup(id));
        double millis = (System.nanoTime() - started) / 1e6;
        List<PeerInfo> result = done.result();
        LookupStats stats = done.stats();
        StringBuilder out = new StringBuilder(String.format("lookup of %s: %d peers in %.1f ms, %d hops, %d requests, %d answers, %d failed%n",
                id.toShortString(), result.size(), millis, stats.hops(), stats.requests(), stats.responses(), stats.failures()));
        for (PeerInfo p : result) {
            out.append(String.format("  %s  shares %3d prefix bits  %s%n", p.nodeId().toShortString(), id.commonPrefixLength(p.nodeId()),
                    p.addresses().get(0)));
        }
        return out.toString();
    }

    /** qdht:routes <node> - the routing table by bucket: entries and replacements. */
    public String routes(String node) throws Exception {
        KademliaNode k = node(node);
        int[] sizes = k.table().bucketSizes();
        StringBuilder out = new StringBuilder(String.format("node %s (%s), %s mode, %d peers, %d replacements, k=%d%n", node,
                k.self().toShortString(), k.isServer() ? "server" : "client", k.table().size(), k.table().replacements(),
                k.table().parameters().k()));
        out.append("BUCKET (shared prefix bits)  ENTRIES\n");
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] > 0) {
                out.append(String.format("%6d                       %3d %s%n", i, sizes[i], "#".repeat(sizes[i])));
            }
        }
        return out.toString();
    }

    /** qdht:dht [node] - per node: table size, records held, and every counter (rejections by reason). */
    public String dht(String... node) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, KademliaNode> e : selected(node).entrySet()) {
            KademliaNode k = e.getValue();
            out.append(String.format("%s: %s, %d peers, %d records, up %s%n", e.getKey(), k.hasJoined() ? "joined" : "not joined",
                    k.table().size(), k.store().size(), k.uptime()));
            k.counters().forEach((name, count) -> out.append(String.format("  %-28s %d%n", name, count)));
        }
        return out.length() == 0 ? "no node has Kademlia routing yet" : out.toString();
    }

    /** qdht:leave <node> - graceful leave: hands the node's records to its neighbours and stops its routing. */
    public String leave(String node) {
        return component.leave(node) ? "node " + node + " left the DHT; qdht:rejoin " + node + " brings it back"
                : "node " + node + " has no Kademlia routing";
    }

    /** qdht:rejoin <node> - starts the routing of a node that left. */
    public String rejoin(String node) {
        component.rejoin(node);
        return "node " + node + " is joining";
    }

    static Record sign(NodeIdentity identity, DhtKey key, byte[] value, long ttlSeconds, boolean tombstone) throws Exception {
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 second");
        }
        long now = System.currentTimeMillis();
        Record unsigned = Record.unsigned(key, value, now, now + ttlSeconds * 1000, identity.nodeId(), identity.suite(),
                identity.signingKey().keyId(), tombstone);
        SuiteSignature signature = identity.sign(unsigned.toBeSigned());
        return unsigned.withSignature(signature.bytes());
    }

    private Map<String, KademliaNode> selected(String... node) {
        Map<String, KademliaNode> all = component.running();
        if (node.length == 0) {
            return all;
        }
        KademliaNode k = all.get(node[0]);
        if (k == null) {
            throw new IllegalArgumentException("no node named '" + node[0] + "' has Kademlia routing; running: " + all.keySet());
        }
        return Map.of(node[0], k);
    }

    private KademliaNode node(String name) {
        return component.node(name).orElseThrow(() -> new IllegalArgumentException(
                "no node named '" + name + "' has Kademlia routing; running: " + component.running().keySet()));
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DhtException d) {
                throw new IllegalStateException(d.reason() + ": " + d.getMessage(), d);
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("no result within " + WAIT_SECONDS + " s");
        }
    }
}
