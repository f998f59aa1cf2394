package org.qdht.onion.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.log.Logger;
import org.qdht.api.KeyId;
import org.qdht.api.PeerAddress;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.Routing;
import org.qdht.onion.core.OnionException;
import org.qdht.onion.core.PacketFormat;

/**
 * Onion routing of one node: its client (always) and its relay (server mode, or client mode if
 * configured). Packets arrive on {@link org.qdht.api.channel.Protocols#ONION_RELAY}; the key id at
 * the front of a packet says whether it answers one of this node's requests or is for its relay.
 * Unwrapping costs a KEM decapsulation, so it runs on the work pool, not on the channel's thread.
 * Thread safe.
 */
final class OnionNode {
    private final String name;
    private final QdhtNode node;
    private final NodeIdentity identity;
    private final PacketFormat format;
    private final Counters counters = new Counters();
    private final OnionClient client;
    private final Optional<Relay> relay;
    private final RelayDirectory directory;
    private final Optional<MailboxService> mailbox;
    private final OnionSettings settings;
    private final ExecutorService work;
    private final Logger log;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long nextRefresh;

    OnionNode(String name, QdhtNode node, NodeIdentity identity, PacketFormat format, SecureChannels channel, Dht dht,
            Routing routing, SignatureVerifier verifier, boolean relaying, OnionSettings settings, ScheduledExecutorService timer,
            ExecutorService work, Optional<java.nio.file.Path> mailboxKeyFile, Logger log) {
        this.name = name;
        this.node = node;
        this.identity = identity;
        this.format = format;
        this.settings = settings;
        this.work = work;
        this.log = log;
        SecureRandom random = new SecureRandom();
        PacketSender sender = new PacketSender(channel, counters);
        this.directory = new RelayDirectory(identity.nodeId(), identity.suite(), dht, routing, counters, random);
        this.client = new OnionClient(name, identity, format, directory, sender, verifier, settings, counters, timer, this::replyAddress,
                this::refreshDirectory, random);
        this.relay = relaying ? Optional.of(new Relay(name, identity, format, dht, routing, sender, settings, counters, log)) : Optional.empty();
        this.mailbox = mailboxKeyFile.flatMap(file -> {
            try {
                org.qdht.api.crypto.KeyPair key = MailboxKeys.loadOrCreate(file, format.suite(), log);
                return Optional.of(new MailboxService(name, identity, format.suite(), key, dht, client, settings, counters, work, random));
            } catch (java.io.IOException e) {
                log.error("node {}: no mailbox: its key file {} cannot be used: {}", name, file, e.getMessage());
                return Optional.empty();
            }
        });
    }

    String name() {
        return name;
    }

    NodeIdentity identity() {
        return identity;
    }

    OnionClient client() {
        return client;
    }

    Optional<Relay> relay() {
        return relay;
    }

    Optional<MailboxService> mailbox() {
        return mailbox;
    }

    RelayDirectory directory() {
        return directory;
    }

    PacketFormat format() {
        return format;
    }

    Counters counters() {
        return counters;
    }

    OnionSettings settings() {
        return settings;
    }

    /** A packet from a peer's secure session. */
    void onMessage(SecureSession session, byte[] packet) {
        counters.add("packets-received");
        if (packet.length != format.packetSize()) {
            counters.add("packet-wrong-size");
            return;
        }
        try {
            work.execute(() -> dispatch(session, packet));
        } catch (RejectedExecutionException e) {
            counters.add("overloaded");
        }
    }

    private void dispatch(SecureSession session, byte[] packet) {
        try {
            KeyId key = PacketFormat.keyIdOf(packet);
            if (client.awaits(key)) {
                client.onReply(key, packet);
            } else if (relay.isPresent()) {
                relay.get().onPacket(session.peer(), packet);
            } else {
                counters.add("packet-not-a-relay");
            }
        } catch (OnionException e) {
            counters.add(e.counterName());
        } catch (RuntimeException e) {
            counters.add("packet-failed");
            log.warn("node {}: an onion packet failed: {}", name, e.toString());
        }
    }

    /** Key rotation and publication, and the relay directory refresh. */
    void tick(long now) {
        relay.ifPresent(r -> r.maintain(now, ownAddresses()));
        mailbox.ifPresent(m -> m.maintain(now));
        if (now >= nextRefresh && refreshing.compareAndSet(false, true)) {
            long epoch = settings.epochAt(now);
            directory.refresh(epoch).whenComplete((n, e) -> {
                // soon again while too few relays are known, as right after a start
                boolean enough = e == null && n >= settings.hops() + 1;
                nextRefresh = System.currentTimeMillis() + (enough ? settings.directoryRefreshMillis() : 2_000);
                refreshing.set(false);
            });
        }
    }

    /** Refreshes the relay directory now, for the command line and tests. */
    java.util.concurrent.CompletableFuture<Integer> refreshDirectory() {
        return directory.refresh(settings.epochAt(System.currentTimeMillis()));
    }

    private List<PeerAddress> ownAddresses() {
        List<PeerAddress> all = new ArrayList<>(node.status().addresses());
        all.sort(Comparator.comparingInt(a -> a.scheme().equals("udp") ? 0 : 1));
        return all;
    }

    /** Where answers reach this node: its first UDP address. */
    private Optional<PeerAddress> replyAddress() {
        return ownAddresses().stream().findFirst();
    }

    void close() {
        client.close();
        relay.ifPresent(Relay::close);
    }
}
