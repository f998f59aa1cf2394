package org.qdht.onion.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import org.qdht.api.NodeId;
import org.qdht.api.anonymity.AnonymityException;
import org.qdht.api.anonymity.AnonymityException.Reason;
import org.qdht.api.anonymity.Mailbox;
import org.qdht.api.anonymity.MailboxEntry;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;
import org.qdht.onion.core.MailboxSealing;

/**
 * Store-and-forward mailboxes in the DHT. A node publishes its mailbox KEM key, signed by its
 * identity. A depositor fetches that key through a circuit, encrypts the entry to it and stores it,
 * through a circuit, in the first free slot of the recipient's mailbox for the current epoch
 * ({@link MailboxSealing}), as a record signed by a one-time key: neither storers nor exits learn
 * who deposited, and the slot address names no node. The recipient scans the slots of the epochs
 * of the last {@link Mailbox#MAX_RETENTION} through circuits and opens what is sealed to it.
 * Collected entries are remembered so that a later collect does not return them again (the DHT
 * cannot delete them: only a one-time key could sign the tombstone); they expire on their own.
 * Thread safe.
 */
final class MailboxService implements Mailbox {
    private static final long KEY_RECORD_LIFETIME_MILLIS = 7L * 24 * 3_600_000;
    private static final long KEY_REPUBLISH_MILLIS = 12L * 3_600_000;

    private final String name;
    private final NodeIdentity identity;
    private final CryptoSuite suite;
    private final KeyPair mailboxKey;
    private final Dht dht;
    private final OnionClient client;
    private final OnionSettings settings;
    private final Counters counters;
    private final ExecutorService work;
    private final SecureRandom random;
    private final Set<String> collected = ConcurrentHashMap.newKeySet();
    private volatile long keyPublishedAt;
    private volatile boolean publishing;

    MailboxService(String name, NodeIdentity identity, CryptoSuite suite, KeyPair mailboxKey, Dht dht, OnionClient client,
            OnionSettings settings, Counters counters, ExecutorService work, SecureRandom random) {
        this.name = name;
        this.identity = identity;
        this.suite = suite;
        this.mailboxKey = mailboxKey;
        this.dht = dht;
        this.client = client;
        this.settings = settings;
        this.counters = counters;
        this.work = work;
        this.random = random;
    }

    /** Where {@code node} publishes its mailbox key. */
    static DhtKey keyRecordOf(NodeId node) {
        return DhtKey.ofName("qdht/mailbox-key/v1/" + node.toHex());
    }

    /** Publishes the mailbox key if it was not yet, or not for half a day. */
    void maintain(long now) {
        if (publishing || now - keyPublishedAt < KEY_REPUBLISH_MILLIS) {
            return;
        }
        publishing = true;
        try {
            WireWriter value = new WireWriter(2_048);
            mailboxKey.publicKey().writeTo(value);
            Record unsigned = Record.unsigned(keyRecordOf(identity.nodeId()), value.toByteArray(), now, now + KEY_RECORD_LIFETIME_MILLIS,
                    identity.nodeId(), identity.suite(), identity.signingKey().keyId(), false);
            dht.put(unsigned.withSignature(identity.sign(unsigned.toBeSigned()).bytes())).whenComplete((copies, error) -> {
                if (error == null) {
                    keyPublishedAt = System.currentTimeMillis();
                    counters.add("mailbox-key-published");
                } else {
                    counters.add("mailbox-key-publish-failed");
                }
                publishing = false;
            });
        } catch (Exception e) {
            publishing = false;
            counters.add("mailbox-key-publish-failed");
        }
    }

    @Override
    public CompletionStage<Void> deposit(NodeId recipient, byte[] sealed, Duration retention) {
        if (retention == null || retention.isNegative() || retention.isZero() || retention.compareTo(MAX_RETENTION) > 0) {
            throw new IllegalArgumentException("retention must be positive and at most " + MAX_RETENTION + ", got " + retention);
        }
        if (sealed == null || sealed.length == 0 || sealed.length > MAX_ENTRY_SIZE) {
            return CompletableFuture.failedFuture(new AnonymityException(Reason.TOO_LARGE, "a mailbox entry is 1-" + MAX_ENTRY_SIZE + " bytes"));
        }
        byte[] content = sealed.clone();
        return recipientKey(recipient).thenCompose(key -> {
            long now = System.currentTimeMillis();
            long epoch = now / settings.mailboxEpochMillis();
            byte[] id = new byte[MailboxSealing.ENTRY_ID_LENGTH];
            random.nextBytes(id);
            return depositAt(key, epoch, 0, id, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now).plus(retention), content);
        }).thenApply(copies -> {
            counters.add("mailbox-deposited");
            return null;
        });
    }

    /** The recipient's mailbox key, fetched through a circuit so that no storer learns who is about to write to it. */
    private CompletableFuture<EncodedPublicKey> recipientKey(NodeId recipient) {
        return client.get(keyRecordOf(recipient)).toCompletableFuture().thenApply(found -> {
            Record r = found.filter(x -> x.publisher().equals(recipient)).orElseThrow(() -> new CompletionException(new AnonymityException(
                    Reason.REJECTED, "node " + recipient.toShortString() + " publishes no mailbox key")));
            try {
                WireReader in = new WireReader(r.value());
                EncodedPublicKey key = EncodedPublicKey.readFrom(in);
                in.expectEnd("mailbox key");
                if (key.purpose() != KeyPurpose.KEM || !key.suite().equals(suite.id())) {
                    throw new IllegalArgumentException("a " + key.suite() + " " + key.purpose() + " key");
                }
                return key;
            } catch (Exception e) {
                throw new CompletionException(new AnonymityException(Reason.REJECTED, "the mailbox key of " + recipient.toShortString()
                        + " is unusable: " + e.getMessage()));
            }
        });
    }

    /** Tries {@code slot}, and the next ones while they are taken. */
    private CompletableFuture<Integer> depositAt(EncodedPublicKey key, long epoch, int slot, byte[] id, Instant now, Instant expires,
            byte[] content) {
        if (slot == MailboxSealing.SLOTS) {
            return CompletableFuture.failedFuture(new AnonymityException(Reason.REJECTED, "the recipient's mailbox is full for this epoch ("
                    + MailboxSealing.SLOTS + " entries)"));
        }
        DhtKey address = MailboxSealing.address(suite, key, epoch, slot);
        return client.get(address).toCompletableFuture().thenCompose(taken -> {
            if (taken.isPresent()) {
                return depositAt(key, epoch, slot + 1, id, now, expires, content);
            }
            return CompletableFuture.supplyAsync(() -> oneTimeRecord(key, address, id, now, expires, content), work)
                    .thenCompose(client::putPublished)
                    .exceptionallyCompose(error -> {
                        if (!(rootOf(error) instanceof AnonymityException a && a.reason() == Reason.REJECTED)) {
                            return CompletableFuture.failedFuture(error);
                        }
                        // refused: either another depositor took the slot meanwhile, or the entry itself is refused
                        return client.get(address).toCompletableFuture().thenCompose(now2 -> {
                            if (now2.isPresent()) {
                                counters.add("mailbox-slot-raced");
                                return depositAt(key, epoch, slot + 1, id, now, expires, content);
                            }
                            return CompletableFuture.failedFuture(error);
                        });
                    });
        });
    }

    /** The entry as a record of a fresh publisher key with a solved puzzle: storers cannot link deposits to anyone. */
    private PublishedRecord oneTimeRecord(EncodedPublicKey key, DhtKey address, byte[] id, Instant now, Instant expires, byte[] content) {
        try {
            byte[] entry = MailboxSealing.seal(suite, key, address, id, now, expires, content);
            KeyPair publisher = suite.signatures().generateKeyPair();
            NodeId publisherId = NodeIdPuzzle.nodeIdOf(suite.id(), publisher.publicKey().key());
            long nonce = NodeIdPuzzle.solve(publisherId, settings.minPublisherPuzzleDifficulty(), n -> { });
            Record unsigned = Record.unsigned(address, entry, 1, expires.toEpochMilli(), publisherId, suite.id(),
                    publisher.publicKey().keyId(), false);
            Record signed = unsigned.withSignature(suite.signatures().sign(publisher, unsigned.toBeSigned()).bytes());
            publisher.destroy();
            return new PublishedRecord(signed, publisher.publicKey(), nonce);
        } catch (IllegalArgumentException e) {
            throw new CompletionException(new AnonymityException(Reason.TOO_LARGE, "the entry does not fit a record: " + e.getMessage()));
        } catch (Exception e) {
            throw new CompletionException(new AnonymityException(Reason.REJECTED, "the entry cannot be sealed: " + e.getMessage(), e));
        }
    }

    @Override
    public CompletionStage<List<MailboxEntry>> collect() {
        long now = System.currentTimeMillis();
        long current = now / settings.mailboxEpochMillis();
        long oldest = (now - MAX_RETENTION.toMillis()) / settings.mailboxEpochMillis();
        List<CompletableFuture<List<MailboxEntry>>> epochs = new ArrayList<>();
        for (long e = oldest; e <= current; e++) {
            epochs.add(scan(e, 0, new ArrayList<>()));
        }
        return CompletableFuture.allOf(epochs.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<MailboxEntry> all = new ArrayList<>();
            epochs.forEach(f -> all.addAll(f.join()));
            all.sort(Comparator.comparing(MailboxEntry::depositedAt));
            all.forEach(entry -> collected.add(HexFormat.of().formatHex(entry.id())));
            counters.add("mailbox-collected");
            return all;
        });
    }

    /** Reads the slots of one epoch until the first empty one. */
    private CompletableFuture<List<MailboxEntry>> scan(long epoch, int slot, List<MailboxEntry> found) {
        if (slot == MailboxSealing.SLOTS) {
            return CompletableFuture.completedFuture(found);
        }
        DhtKey address = MailboxSealing.address(suite, mailboxKey.publicKey(), epoch, slot);
        return client.get(address).toCompletableFuture().thenCompose(record -> {
            if (record.isEmpty()) {
                return CompletableFuture.completedFuture(found);
            }
            Optional<MailboxSealing.Opened> opened = MailboxSealing.open(suite, mailboxKey, address, record.get().value());
            Instant now = Instant.now();
            if (opened.isEmpty()) {
                counters.add("mailbox-entry-unreadable");
            } else if (!collected.contains(HexFormat.of().formatHex(opened.get().id())) && opened.get().expiresAt().isAfter(now)) {
                MailboxSealing.Opened o = opened.get();
                try {
                    found.add(MailboxEntry.of(o.id(), o.sealed(), o.depositedAt(), o.expiresAt()));
                } catch (IllegalArgumentException e) {
                    counters.add("mailbox-entry-unreadable");
                }
            }
            return scan(epoch, slot + 1, found);
        });
    }

    private static Throwable rootOf(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    String name() {
        return name;
    }
}
