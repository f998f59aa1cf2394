package org.qdht.api.anonymity;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.NodeId;

/**
 * Offline delivery: sealed messages held in the DHT for a recipient until it collects them. Entries
 * are stored at blinded addresses derived by the provider from the recipient's published mailbox
 * key and the current epoch, so storers cannot tell whose mailbox they hold; deposits and
 * collections travel through onion circuits, so storers cannot tell who deposits or collects.
 * Content must already be sealed (encrypted and authenticated) for the recipient: the mailbox does
 * not encrypt. Registered by a provider per node with the service property
 * {@link org.qdht.api.node.QdhtNode#NAME_PROPERTY}.
 *
 * <p>Limits: entries of 1-{@value #MAX_ENTRY_SIZE} bytes, kept at most {@link #MAX_RETENTION},
 * {@link #DEFAULT_RETENTION} unless the depositor asks for less. Every method returns at once;
 * stages fail with an {@link AnonymityException}. Thread safe.
 */
@ProviderType
public interface Mailbox {
    /** Largest entry: the largest value of one DHT record. */
    int MAX_ENTRY_SIZE = org.qdht.api.routing.Record.MAX_VALUE_SIZE;
    /** How long an entry is kept unless the depositor asks for less: 14 days. */
    Duration DEFAULT_RETENTION = Duration.ofDays(14);
    /** Longest retention a depositor may ask for. */
    Duration MAX_RETENTION = DEFAULT_RETENTION;

    /**
     * Deposits {@code sealed} in {@code recipient}'s mailbox for {@link #DEFAULT_RETENTION}.
     *
     * @see #deposit(NodeId, byte[], Duration)
     */
    default CompletionStage<Void> deposit(NodeId recipient, byte[] sealed) {
        return deposit(recipient, sealed, DEFAULT_RETENTION);
    }

    /**
     * Deposits {@code sealed} in {@code recipient}'s mailbox, kept for {@code retention}. The stage
     * completes when enough storers accepted the entry, or fails with {@code TOO_LARGE} (empty or
     * above {@value #MAX_ENTRY_SIZE} bytes), {@code REJECTED} (the recipient publishes no mailbox key,
     * or storers refused), {@code NO_CIRCUIT}, {@code NOT_ENOUGH_RELAYS} or {@code TIMEOUT}. The
     * array is not kept.
     *
     * @throws IllegalArgumentException if {@code retention} is not positive or exceeds {@link #MAX_RETENTION}
     */
    CompletionStage<Void> deposit(NodeId recipient, byte[] sealed, Duration retention);

    /**
     * Collects the unexpired entries deposited for this node, oldest first, and removes them from
     * the mailbox. Removal is best effort: an entry may be returned again by a later call, so the
     * caller deduplicates by {@link MailboxEntry#id()}. Fails with {@code NO_CIRCUIT},
     * {@code NOT_ENOUGH_RELAYS} or {@code TIMEOUT}.
     */
    CompletionStage<List<MailboxEntry>> collect();
}
