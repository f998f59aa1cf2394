package org.qdht.api.learning;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Shares models through the DHT: signed {@link ModelManifest}s and the content-addressed chunks
 * they list. Only manifests signed by a master node trusted for the model (from the provider's
 * configuration) are published or returned. Registered by a provider per node with the service
 * property {@link org.qdht.api.node.QdhtNode#NAME_PROPERTY}. Every method returns at once; stages
 * fail with a {@link LearningException}. Thread safe.
 */
@ProviderType
public interface ModelRegistry {
    /** Largest chunk: 1 MiB. */
    int MAX_CHUNK_SIZE = 1 << 20;

    /**
     * Stores {@code chunks} and publishes the signed {@code manifest} that lists them. Fails with
     * {@code INTEGRITY} if the chunks are not, in order, the ones whose hashes the manifest lists
     * (or one exceeds {@value #MAX_CHUNK_SIZE} bytes), {@code REJECTED} if the manifest is unsigned,
     * its signature does not verify or its signer is not a trusted master, {@code STALE_VERSION}
     * if the same or a newer version is known, {@code TIMEOUT} or {@code CLOSED}. The arrays are
     * not kept.
     */
    CompletionStage<Void> publish(ModelManifest manifest, List<byte[]> chunks);

    /** The newest verified manifest of {@code model}; empty if none is known. */
    CompletionStage<Optional<ModelManifest>> latest(ModelId model);

    /**
     * The chunk whose SHA-256 hash is {@code chunkHash}, checked against it: bytes that do not
     * match are dropped and the chunk fetched elsewhere. Fails with {@code NOT_FOUND} when no peer
     * has it, or {@code TIMEOUT}.
     *
     * @throws IllegalArgumentException unless {@code chunkHash} has {@value ModelManifest#CHUNK_HASH_LENGTH} bytes
     */
    CompletionStage<byte[]> fetchChunk(byte[] chunkHash);
}
