package org.qdht.onion.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.osgi.service.log.Logger;
import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.Routing;
import org.qdht.api.wire.WireFormatException;
import org.qdht.onion.core.OnionMessages;
import org.qdht.onion.core.OnionKeyDescriptor;
import org.qdht.onion.core.OnionException;
import org.qdht.onion.core.PacketFormat;
import org.qdht.onion.core.ReplayCache;
import org.qdht.onion.core.Unwrapped;
import org.qdht.onion.core.OnionMessages.Found;
import org.qdht.onion.core.OnionMessages.Get;
import org.qdht.onion.core.OnionMessages.Lookup;
import org.qdht.onion.core.OnionMessages.Peers;
import org.qdht.onion.core.OnionMessages.Put;
import org.qdht.onion.core.OnionMessages.Refused;
import org.qdht.onion.core.OnionMessages.Reply;
import org.qdht.onion.core.OnionMessages.Request;
import org.qdht.onion.core.OnionMessages.Stored;
import org.qdht.onion.internal.RelayKeys.EpochKey;

/**
 * The relay of one server node: unwraps one layer of each packet with the onion key of the
 * packet's epoch, drops replays (per-epoch cache of the hop's replay tags) and tampered packets,
 * and forwards to the next hop, or, as the exit, does the DHT operation the packet carries and
 * sends the answer back through the request's reply block. Rotates and publishes its onion keys.
 * Thread safe.
 */
final class Relay {
    private static final long DESCRIPTOR_VERSION = 1;

    private final String name;
    private final NodeIdentity identity;
    private final PacketFormat format;
    private final RelayKeys keys;
    private final ReplayCache replays;
    private final Dht dht;
    private final Routing routing;
    private final PacketSender sender;
    private final OnionSettings settings;
    private final Counters counters;
    private final RelayLog log = new RelayLog();
    private final Logger logger;
    private final java.util.Set<Long> published = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Relay(String name, NodeIdentity identity, PacketFormat format, Dht dht, Routing routing, PacketSender sender,
            OnionSettings settings, Counters counters, Logger logger) {
        this.name = name;
        this.identity = identity;
        this.format = format;
        this.keys = new RelayKeys(format.suite().kem());
        this.replays = new ReplayCache(settings.replayCacheEntries());
        this.dht = dht;
        this.routing = routing;
        this.sender = sender;
        this.settings = settings;
        this.counters = counters;
        this.logger = logger;
    }

    RelayLog log() {
        return log;
    }

    RelayKeys keys() {
        return keys;
    }

    boolean holds(KeyId id) {
        return keys.find(id).isPresent();
    }

    /** Rotates the keys to the epoch of {@code now} and publishes every key not yet published. */
    void maintain(long now, List<PeerAddress> addresses) {
        long epoch = settings.epochAt(now);
        for (EpochKey created : keys.rotate(epoch)) {
            logger.info("node {}: onion key {} for epoch {}", name, created.keyId().toHex(), created.epoch());
        }
        replays.forgetBefore(epoch - 1);
        published.removeIf(e -> e < epoch - 1);
        if (addresses.isEmpty()) {
            return;
        }
        for (EpochKey k : keys.all()) {
            if (k.epoch() >= epoch && published.add(k.epoch())) {
                publish(k, addresses).whenComplete((copies, error) -> {
                    if (error != null) {
                        published.remove(k.epoch()); // tried again on the next tick
                        counters.add("key-publish-failed");
                    } else {
                        counters.add("key-published");
                    }
                });
            }
        }
    }

    private CompletionStage<Integer> publish(EpochKey key, List<PeerAddress> addresses) {
        try {
            List<PeerAddress> announced = addresses.size() > 8 ? addresses.subList(0, 8) : addresses;
            OnionKeyDescriptor d = new OnionKeyDescriptor(identity.nodeId(), key.epoch(), announced, key.keyPair().publicKey());
            // kept through the epoch after its own, as the key is
            long expires = settings.epochEnd(key.epoch() + 1);
            Record unsigned = Record.unsigned(OnionKeyDescriptor.keyFor(identity.nodeId(), key.epoch()), d.encode(), DESCRIPTOR_VERSION,
                    expires, identity.nodeId(), identity.suite(), identity.signingKey().keyId(), false);
            return dht.put(unsigned.withSignature(identity.sign(unsigned.toBeSigned()).bytes()));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** One packet from {@code predecessor}, addressed to one of this relay's keys. */
    void onPacket(NodeId predecessor, byte[] packet) {
        KeyId keyId;
        try {
            keyId = PacketFormat.keyIdOf(packet);
        } catch (OnionException e) {
            counters.add(e.counterName());
            return;
        }
        Optional<EpochKey> key = keys.find(keyId);
        if (key.isEmpty()) {
            counters.add(keys.wasDestroyed(keyId) ? "packet-expired-key" : "packet-unknown-key");
            return;
        }
        Unwrapped unwrapped;
        try {
            unwrapped = format.unwrap(key.get().keyPair(), packet);
        } catch (OnionException e) {
            counters.add(e.counterName());
            return;
        }
        long fullBefore = replays.rejectedFull();
        if (!replays.firstSeen(key.get().epoch(), unwrapped.replayTag())) {
            counters.add(replays.rejectedFull() > fullBefore ? "replay-cache-full" : "packet-replayed");
            return;
        }
        if (unwrapped instanceof Unwrapped.Relay next) {
            log.add(predecessor, Optional.of(next.nextNode()), "relayed");
            counters.add("packets-relayed");
            sender.send(next.nextNode(), next.nextAddress(), next.packet());
            return;
        }
        Optional<byte[]> message = format.openForward(((Unwrapped.Deliver) unwrapped).payload());
        if (message.isEmpty()) {
            counters.add("payload-tagged");
            return;
        }
        Request request;
        try {
            request = OnionMessages.decodeRequest(message.get(), format);
        } catch (WireFormatException | RuntimeException e) {
            counters.add("request-malformed");
            return;
        }
        log.add(predecessor, Optional.empty(), "exit");
        counters.add("exit-requests");
        serve(request).whenComplete((reply, error) -> answer(predecessor, request, error == null ? reply : refusal(request, error)));
    }

    private CompletionStage<Reply> serve(Request request) {
        if (request instanceof Get g) {
            return dht.getPublished(g.key()).thenApply(found -> new Found(g.requestId(), found));
        }
        if (request instanceof Put p) {
            return dht.put(p.record()).thenApply(copies -> new Stored(p.requestId(), copies));
        }
        Lookup l = (Lookup) request;
        return routing.lookup(l.target(), l.count()).thenApply(peers -> new Peers(l.requestId(), peers));
    }

    private static Reply refusal(Request request, Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        String reason = t instanceof DhtException d ? d.reason().name() : "FAILED";
        return new Refused(request.requestId(), reason, String.valueOf(t.getMessage()));
    }

    private void answer(NodeId predecessor, Request request, Reply reply) {
        byte[] bytes = OnionMessages.encode(reply);
        if (bytes.length > format.maxMessageSize()) {
            counters.add("reply-too-large");
            bytes = OnionMessages.encode(new Refused(request.requestId(), "TOO_LARGE",
                    "the answer of " + bytes.length + " bytes does not fit a packet"));
        }
        try {
            var packet = format.reply(request.replyBlock(), bytes);
            log.add(predecessor, Optional.of(packet.firstNode()), "replied");
            sender.send(packet.firstNode(), packet.firstAddress(), packet.bytes());
            counters.add("exit-replies");
        } catch (OnionException e) {
            counters.add("reply-" + e.counterName());
        }
    }

    void close() {
        keys.destroyAll();
    }
}
