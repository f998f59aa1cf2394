package org.qdht.onion.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Routing;
import org.qdht.onion.core.OnionKeyDescriptor;

/**
 * The relays a client knows for each epoch, found in the DHT: the peers of the routing table and
 * of a lookup of a random id are candidates, and a candidate is a relay for an epoch once its
 * descriptor for that epoch is found, signed by that very node (the DHT has checked the signature
 * and the publisher's puzzle; the descriptor must name the publisher and the suite of this node).
 * Thread safe.
 */
final class RelayDirectory {
    /** Descriptors fetched per refresh: enough for diverse paths, bounded for a small device. */
    static final int MAX_CANDIDATES = 64;

    private final NodeId self;
    private final SuiteId suite;
    private final Dht dht;
    private final Routing routing;
    private final Counters counters;
    private final SecureRandom random;
    private final Map<Long, Map<NodeId, RelayInfo>> byEpoch = new ConcurrentHashMap<>();

    RelayDirectory(NodeId self, SuiteId suite, Dht dht, Routing routing, Counters counters, SecureRandom random) {
        this.self = self;
        this.suite = suite;
        this.dht = dht;
        this.routing = routing;
        this.counters = counters;
        this.random = random;
    }

    /** Relays known for {@code epoch}. */
    Collection<RelayInfo> relays(long epoch) {
        return List.copyOf(byEpoch.getOrDefault(epoch, Map.of()).values());
    }

    /** Looks for relays of {@code epoch} and the next; completes with the number known for {@code epoch} when every candidate was asked. */
    CompletableFuture<Integer> refresh(long epoch) {
        byEpoch.keySet().removeIf(e -> e < epoch - 1);
        byte[] target = new byte[NodeId.LENGTH];
        random.nextBytes(target);
        return routing.lookup(NodeId.of(target), 20).toCompletableFuture()
                .exceptionally(e -> List.of())
                .thenCompose(found -> {
                    Map<NodeId, PeerInfo> candidates = new LinkedHashMap<>();
                    for (PeerInfo p : routing.knownPeers()) {
                        candidates.putIfAbsent(p.nodeId(), p);
                    }
                    for (PeerInfo p : found) {
                        candidates.putIfAbsent(p.nodeId(), p);
                    }
                    candidates.remove(self);
                    List<CompletableFuture<Void>> fetches = new ArrayList<>();
                    int asked = 0;
                    for (NodeId candidate : candidates.keySet()) {
                        if (asked++ == MAX_CANDIDATES) {
                            break;
                        }
                        fetches.add(fetch(candidate, epoch));
                        fetches.add(fetch(candidate, epoch + 1)); // published ahead: circuits keep working across the change
                    }
                    return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new))
                            .thenApply(v -> byEpoch.getOrDefault(epoch, Map.of()).size());
                });
    }

    private CompletableFuture<Void> fetch(NodeId candidate, long epoch) {
        return dht.getPublished(OnionKeyDescriptor.keyFor(candidate, epoch)).toCompletableFuture().handle((found, error) -> {
            if (error != null || found.isEmpty()) {
                return null; // not a relay, or not reachable now
            }
            accept(candidate, epoch, found.get()).ifPresentOrElse(
                    r -> byEpoch.computeIfAbsent(epoch, e -> new ConcurrentHashMap<>()).put(candidate, r),
                    () -> counters.add("descriptor-refused"));
            return null;
        });
    }

    private Optional<RelayInfo> accept(NodeId candidate, long epoch, PublishedRecord published) {
        if (!published.record().publisher().equals(candidate) || published.record().isTombstone()) {
            return Optional.empty(); // only the relay itself speaks for its key
        }
        try {
            OnionKeyDescriptor d = OnionKeyDescriptor.decode(published.record().value());
            if (!d.relay().equals(candidate) || d.epoch() != epoch || !d.onionKey().suite().equals(suite)) {
                return Optional.empty();
            }
            PeerAddress address = d.addresses().stream().filter(a -> a.scheme().equals("udp")).findFirst().orElse(d.addresses().get(0));
            org.qdht.api.wire.WireWriter encoded = new org.qdht.api.wire.WireWriter();
            address.writeTo(encoded);
            if (encoded.size() > org.qdht.onion.core.PacketFormat.ADDRESS_FIELD) {
                return Optional.empty();
            }
            return Optional.of(new RelayInfo(candidate, address, d.onionKey(), epoch));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
