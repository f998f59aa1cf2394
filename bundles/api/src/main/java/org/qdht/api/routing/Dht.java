package org.qdht.api.routing;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Store and find signed records on the network. Registered by a routing provider per node with the
 * service property {@link Routing#NODE_PROPERTY}. Every method returns at once; the stage completes
 * exceptionally with a {@link DhtException} whose reason says what went wrong. Thread safe.
 */
@ProviderType
public interface Dht {
    /**
     * Stores a signed record on the peers closest to its key. Completes with the number of peers
     * that accepted it (at least one), or fails with {@code REJECTED}, {@code STORE_FULL},
     * {@code STALE_VERSION}, {@code EXPIRED} or {@code NO_ROUTE}.
     */
    CompletionStage<Integer> put(Record record);

    /**
     * Finds the newest valid record for {@code key}. Completes with empty when no peer holds one
     * (a tombstone counts as none); records that fail verification are dropped and counted.
     */
    CompletionStage<Optional<Record>> get(DhtKey key);

    /**
     * Stores a record that any node published, carried with its publisher's key and puzzle nonce
     * so that every storing node can check it alone. This is how a node stores a record on
     * another's behalf, for example an onion exit for an anonymous client. Completes and fails as
     * {@link #put(Record)}; a record that does not verify fails with {@code REJECTED}.
     *
     * @since 1.2
     */
    CompletionStage<Integer> put(PublishedRecord record);

    /**
     * Finds the newest valid record for {@code key} with its publisher's key and puzzle nonce, so
     * that the caller, or a node it passes the record on to, can check it again. Tombstones are
     * returned as such.
     *
     * @since 1.2
     */
    CompletionStage<Optional<PublishedRecord>> getPublished(DhtKey key);

    /**
     * Removes a value by storing the publisher's signed {@link Record#isTombstone() tombstone},
     * which must be newer than the value it replaces.
     */
    CompletionStage<Integer> remove(Record tombstone);
}
