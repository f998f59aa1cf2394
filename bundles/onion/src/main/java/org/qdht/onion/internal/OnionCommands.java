package org.qdht.onion.internal;

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
import org.qdht.api.anonymity.AnonymityException;
import org.qdht.api.anonymity.CircuitInfo;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.Record;

/**
 * Gogo commands of onion routing (scope {@code onion}): anonymous get, put and lookup through a
 * circuit, and what circuits, relays and keys a node has. Values are UTF-8 text signed by the
 * node's identity, as with {@code qdht:put}.
 */
public final class OnionCommands {
    static final String[] FUNCTIONS = {"get", "put", "lookup", "circuits", "relay", "keys", "deposit", "collect"};
    private static final long DEFAULT_TTL_SECONDS = 24 * 3_600;
    private static final long WAIT_SECONDS = 60;

    private final OnionComponent component;

    OnionCommands(OnionComponent component) {
        this.component = component;
    }

    /** onion:get <node> <name> - finds the newest record for a name through a circuit; the exit never learns who asked. */
    public String get(String node, String name) throws Exception {
        OnionNode o = node(node);
        long started = System.nanoTime();
        Optional<Record> found = await(o.client().get(DhtKey.ofName(name)).toCompletableFuture());
        double millis = (System.nanoTime() - started) / 1e6;
        if (found.isEmpty()) {
            return String.format("no record for '%s' (%.1f ms through %d relays)", name, millis, o.settings().hops());
        }
        Record r = found.get();
        return String.format("%s%n  publisher %s, version %d, expires %s, signature verified here (%.1f ms through %d relays)",
                new String(r.value(), StandardCharsets.UTF_8), r.publisher().toShortString(), r.version(),
                Instant.ofEpochMilli(r.expiresAtMillis()), millis, o.settings().hops());
    }

    /** onion:put <node> <name> <value> [ttl-seconds] - signs a record and has the exit of a circuit store it. */
    public String put(String node, String name, String value, String... ttl) throws Exception {
        OnionNode o = node(node);
        long ttlSeconds = ttl.length > 0 ? Long.parseLong(ttl[0]) : DEFAULT_TTL_SECONDS;
        Record record = sign(o.identity(), DhtKey.ofName(name), value.getBytes(StandardCharsets.UTF_8), ttlSeconds);
        long started = System.nanoTime();
        int copies = await(o.client().put(record).toCompletableFuture());
        return String.format("stored '%s' on %d nodes through %d relays in %.1f ms", name, copies, o.settings().hops(),
                (System.nanoTime() - started) / 1e6);
    }

    /** onion:lookup <node> <hex-id> [count] - the peers closest to an id, looked up by the exit of a circuit. */
    public String lookup(String node, String target, String... count) throws Exception {
        OnionNode o = node(node);
        int n = count.length > 0 ? Integer.parseInt(count[0]) : 8;
        List<PeerInfo> peers = await(o.client().lookup(NodeId.fromHex(target), n).toCompletableFuture());
        StringBuilder out = new StringBuilder(peers.size() + " peers closest to " + target.substring(0, Math.min(16, target.length())) + ":\n");
        peers.forEach(p -> out.append("  ").append(p.nodeId().toShortString()).append(' ').append(p.addresses()).append('\n'));
        return out.toString();
    }

    /** onion:circuits [node] - each node's circuit (relays are not shown: the circuit is this node's secret). */
    public String circuits(String... node) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, OnionNode> e : selected(node).entrySet()) {
            OnionNode o = e.getValue();
            long epoch = o.settings().epochAt(System.currentTimeMillis());
            out.append(e.getKey()).append(": ").append(o.directory().relays(epoch).size()).append(" relays known this epoch, ")
                    .append(o.relay().isPresent() ? "relaying" : "client only").append('\n');
            List<CircuitInfo> circuits = o.client().circuits();
            if (circuits.isEmpty()) {
                out.append("  no circuit (one is built on the next anonymous operation)\n");
            }
            for (CircuitInfo c : circuits) {
                out.append(String.format("  circuit %d: %d hops, built %s, expires %s%n", c.id(), c.hops(), c.created(), c.expires()));
            }
        }
        return out.toString();
    }

    /** onion:relay [node] - relay counters and the last neighbours seen: the predecessor and successor of each packet. */
    public String relay(String... node) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, OnionNode> e : selected(node).entrySet()) {
            OnionNode o = e.getValue();
            out.append(e.getKey()).append(o.relay().isPresent() ? " (relay)" : " (client only)").append('\n');
            o.counters().snapshot().forEach((k, v) -> out.append("  ").append(k).append(' ').append(v).append('\n'));
            o.relay().ifPresent(r -> {
                List<RelayLog.Entry> entries = r.log().entries();
                for (RelayLog.Entry entry : entries.subList(Math.max(0, entries.size() - 10), entries.size())) {
                    out.append(String.format("  %s from %s to %s (%s)%n", entry.at(), entry.predecessor().toShortString(),
                            entry.successor().map(NodeId::toShortString).orElse("-"), entry.action()));
                }
            });
        }
        return out.toString();
    }

    /** onion:keys [node] - the relay's onion keys by epoch. */
    public String keys(String... node) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, OnionNode> e : selected(node).entrySet()) {
            out.append(e.getKey()).append(":\n");
            e.getValue().relay().ifPresentOrElse(
                    r -> r.keys().all().forEach(k -> out.append("  epoch ").append(k.epoch()).append(" key ").append(k.keyId().toHex()).append('\n')),
                    () -> out.append("  no onion keys (not a relay)\n"));
        }
        return out.toString();
    }

    /** onion:deposit <node> <recipient> <text> - leaves a message in a recipient's mailbox (a node name here, or a NodeId in hex). */
    public String deposit(String node, String recipient, String text) throws Exception {
        OnionNode o = node(node);
        MailboxService mailbox = o.mailbox().orElseThrow(() -> new IllegalStateException("node " + node + " has no mailbox"));
        NodeId to = component.node(recipient).map(r -> r.identity().nodeId()).orElseGet(() -> NodeId.fromHex(recipient));
        long started = System.nanoTime();
        await(mailbox.deposit(to, text.getBytes(StandardCharsets.UTF_8)).toCompletableFuture());
        return String.format("deposited %d bytes for %s through a circuit in %.1f ms", text.length(), to.toShortString(),
                (System.nanoTime() - started) / 1e6);
    }

    /** onion:collect <node> - collects the node's mailbox through circuits, oldest first. */
    public String collect(String node) throws Exception {
        OnionNode o = node(node);
        MailboxService mailbox = o.mailbox().orElseThrow(() -> new IllegalStateException("node " + node + " has no mailbox"));
        List<org.qdht.api.anonymity.MailboxEntry> entries = await(mailbox.collect().toCompletableFuture());
        StringBuilder out = new StringBuilder(entries.size() + " new entries\n");
        for (var e : entries) {
            out.append("  ").append(e.depositedAt()).append(": ").append(new String(e.sealed(), StandardCharsets.UTF_8)).append('\n');
        }
        return out.toString();
    }

    static Record sign(NodeIdentity identity, DhtKey key, byte[] value, long ttlSeconds) throws Exception {
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 second");
        }
        long now = System.currentTimeMillis();
        Record unsigned = Record.unsigned(key, value, now, now + ttlSeconds * 1000, identity.nodeId(), identity.suite(),
                identity.signingKey().keyId(), false);
        return unsigned.withSignature(identity.sign(unsigned.toBeSigned()).bytes());
    }

    private Map<String, OnionNode> selected(String... node) {
        Map<String, OnionNode> all = component.running();
        if (node.length == 0) {
            return all;
        }
        return Map.of(node[0], node(node[0]));
    }

    private OnionNode node(String name) {
        return component.node(name).orElseThrow(() -> new IllegalArgumentException(
                "no node named '" + name + "' has onion routing; running: " + component.running().keySet()));
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AnonymityException a) {
                throw new IllegalStateException(a.reason() + ": " + a.getMessage(), a);
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("no result within " + WAIT_SECONDS + " s");
        }
    }
}
