package org.qdht.node.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.qdht.api.KeyId;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;

/**
 * The publisher keys a record store has seen, by key id, with the publisher's puzzle nonce, so that
 * a bare {@link Record} naming a known key can be kept as a {@link PublishedRecord}. Each key is
 * counted by the records that carry it and forgotten with the last of them: the map is bounded by
 * the store, and a peer cannot fill it with keys of records it never managed to store. Not thread
 * safe: the store guards it.
 */
final class PublisherKeys {
    private static final class Known {
        EncodedPublicKey key;
        long puzzleNonce;
        int records;
    }

    private final Map<KeyId, Known> keys = new HashMap<>();

    /** Counts one more record carrying the key of {@code record}; its nonce becomes the one used. */
    void add(PublishedRecord record) {
        Known known = keys.computeIfAbsent(record.publisherKey().keyId(), id -> new Known());
        known.key = record.publisherKey();
        known.puzzleNonce = record.puzzleNonce();
        known.records++;
    }

    /** Counts one record fewer carrying the key of {@code record}; forgets the key with its last record. */
    void remove(PublishedRecord record) {
        KeyId id = record.publisherKey().keyId();
        Known known = keys.get(id);
        if (known != null && --known.records <= 0) {
            keys.remove(id);
        }
    }

    /**
     * {@code record} with its publisher's known key.
     *
     * @throws IllegalArgumentException if the known key is not the publisher's (the record names a
     *         key id it does not own) or the record is unsigned
     */
    Optional<PublishedRecord> publish(Record record) {
        Known known = keys.get(record.keyId());
        return known == null ? Optional.empty() : Optional.of(new PublishedRecord(record, known.key, known.puzzleNonce));
    }

    int size() {
        return keys.size();
    }

    void clear() {
        keys.clear();
    }
}
