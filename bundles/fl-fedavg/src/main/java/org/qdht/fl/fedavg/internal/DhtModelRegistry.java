package org.qdht.fl.fedavg.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.LearningException.Reason;
import org.qdht.api.learning.ModelId;
import org.qdht.api.learning.ModelManifest;
import org.qdht.api.learning.ModelRegistry;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.wire.WireFormat;

/**
 * The model registry of one node, kept in the DHT. A chunk is a record under its own SHA-256
 * hash, signed by the master that published it; a manifest is a record under
 * {@code hash("qdht/model-manifest/v1/<model>")} whose value is the master-signed manifest and
 * whose version is the model version, so the DHT keeps the newest and refuses an older one. Every
 * read is checked here: a manifest must be signed by the record's publisher (its key is carried
 * with the record) and come from a trusted master; a chunk must hash to its name. Thread safe.
 */
final class DhtModelRegistry implements ModelRegistry {
    private final String node;
    private final NodeIdentity identity;
    private final Dht dht;
    private final SignatureVerifier verifier;
    private final FlSettings settings;

    DhtModelRegistry(String node, NodeIdentity identity, Dht dht, SignatureVerifier verifier, FlSettings settings) {
        this.node = node;
        this.identity = identity;
        this.dht = dht;
        this.verifier = verifier;
        this.settings = settings;
    }

    static DhtKey manifestKey(ModelId model) {
        return DhtKey.ofName("qdht/model-manifest/v1/" + model.name());
    }

    @Override
    public CompletionStage<Void> publish(ModelManifest manifest, List<byte[]> chunks) {
        try {
            checkPublishable(manifest, chunks);
        } catch (LearningException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<byte[]> copies = new ArrayList<>();
        chunks.forEach(c -> copies.add(c.clone()));
        return latest(manifest.model()).toCompletableFuture().thenCompose(known -> {
            if (known.isPresent() && !manifest.supersedes(known.get())) {
                throw new CompletionException(new LearningException(Reason.STALE_VERSION, "model " + manifest.model().name() + " is at version "
                        + known.get().version() + "; version " + manifest.version() + " does not supersede it"));
            }
            List<CompletableFuture<Void>> stores = new ArrayList<>();
            for (byte[] chunk : copies) {
                stores.add(storeChunk(chunk));
            }
            return CompletableFuture.allOf(stores.toArray(CompletableFuture[]::new));
        }).thenCompose(v -> store(manifestKey(manifest.model()), WireFormat.encode(ModelManifest.CODEC, manifest), manifest.version())
                .thenApply(copiesStored -> (Void) null));
    }

    private void checkPublishable(ModelManifest manifest, List<byte[]> chunks) throws LearningException {
        if (!manifest.isSigned()) {
            throw new LearningException(Reason.REJECTED, "the manifest is not signed");
        }
        if (!manifest.master().equals(identity.nodeId()) || !manifest.keyId().equals(identity.signingKey().keyId())) {
            throw new LearningException(Reason.REJECTED, "node " + node + " publishes only manifests it signed with its current identity key");
        }
        if (!settings.trusts(manifest.master())) {
            throw new LearningException(Reason.REJECTED, "node " + node + " (" + identity.nodeId().toShortString() + ") is not a trusted master");
        }
        if (!signatureVerifies(manifest, identity.signingKey())) {
            throw new LearningException(Reason.REJECTED, "the manifest's signature does not verify");
        }
        if (chunks.size() != manifest.chunkCount()) {
            throw new LearningException(Reason.INTEGRITY, chunks.size() + " chunks for a manifest that lists " + manifest.chunkCount());
        }
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            if (chunk.length == 0 || chunk.length > Math.min(MAX_CHUNK_SIZE, Record.MAX_VALUE_SIZE)) {
                throw new LearningException(Reason.INTEGRITY, "chunk " + i + " has " + chunk.length + " bytes; a chunk is one DHT record of at most "
                        + Record.MAX_VALUE_SIZE);
            }
            if (!Arrays.equals(ModelChunks.hash(chunk), manifest.chunkHash(i))) {
                throw new LearningException(Reason.INTEGRITY, "chunk " + i + " does not match its hash in the manifest");
            }
        }
        int encoded = WireFormat.encode(ModelManifest.CODEC, manifest).length;
        if (encoded > Record.MAX_VALUE_SIZE) {
            throw new LearningException(Reason.INTEGRITY, "the manifest of " + encoded + " bytes exceeds one DHT record");
        }
    }

    /** Stores a chunk; a chunk already stored by another publisher with the same content is as good. */
    private CompletableFuture<Void> storeChunk(byte[] chunk) {
        byte[] hash = ModelChunks.hash(chunk);
        return store(DhtKey.of(hash), chunk, 1).handle((copies, error) -> {
            if (error == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            return fetchChunk(hash).toCompletableFuture().handle((existing, e) -> {
                if (e == null) {
                    return (Void) null; // the same bytes are there under another publisher's record
                }
                throw new CompletionException(new LearningException(Reason.REJECTED, "chunk " + hex(hash) + " could not be stored: "
                        + rootOf(error).getMessage(), rootOf(error)));
            });
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Integer> store(DhtKey key, byte[] value, long version) {
        try {
            long expires = System.currentTimeMillis() + settings.lifetimeMillis();
            Record unsigned = Record.unsigned(key, value, version, expires, identity.nodeId(), identity.suite(), identity.signingKey().keyId(), false);
            Record signed = unsigned.withSignature(identity.sign(unsigned.toBeSigned()).bytes());
            return dht.put(signed).toCompletableFuture().exceptionally(error -> {
                Throwable root = rootOf(error);
                Reason reason = root instanceof DhtException d && d.reason() == DhtException.Reason.STALE_VERSION ? Reason.STALE_VERSION
                        : root instanceof DhtException d2 && d2.reason() == DhtException.Reason.TIMEOUT ? Reason.TIMEOUT : Reason.REJECTED;
                throw new CompletionException(new LearningException(reason, "the DHT refused it: " + root.getMessage(), root));
            });
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new LearningException(Reason.REJECTED, "cannot sign: " + e.getMessage(), e));
        }
    }

    @Override
    public CompletionStage<Optional<ModelManifest>> latest(ModelId model) {
        return dht.getPublished(manifestKey(model)).toCompletableFuture().thenApply(found -> {
            if (found.isEmpty() || found.get().record().isTombstone()) {
                return Optional.<ModelManifest>empty();
            }
            return Optional.of(verifiedManifest(model, found.get()));
        });
    }

    private ModelManifest verifiedManifest(ModelId model, PublishedRecord published) {
        ModelManifest manifest;
        try {
            manifest = WireFormat.decode(ModelManifest.CODEC, published.record().value());
        } catch (Exception e) {
            throw new CompletionException(new LearningException(Reason.REJECTED, "the manifest record of " + model.name() + " is malformed: "
                    + e.getMessage(), e));
        }
        boolean signedByPublisher = manifest.model().equals(model) && manifest.master().equals(published.record().publisher())
                && manifest.keyId().equals(published.publisherKey().keyId()) && manifest.version() == published.record().version()
                && signatureVerifies(manifest, published.publisherKey());
        if (!signedByPublisher) {
            throw new CompletionException(new LearningException(Reason.REJECTED, "the manifest of " + model.name()
                    + " is not signed by the node that published it"));
        }
        if (!settings.trusts(manifest.master())) {
            throw new CompletionException(new LearningException(Reason.REJECTED, "the manifest of " + model.name() + " comes from "
                    + manifest.master().toShortString() + ", not a trusted master"));
        }
        return manifest;
    }

    private boolean signatureVerifies(ModelManifest manifest, org.qdht.api.crypto.EncodedPublicKey key) {
        try {
            return verifier.verify(key, manifest.toBeSigned(), SuiteSignature.of(manifest.suite(), manifest.keyId(), manifest.signature()));
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public CompletionStage<byte[]> fetchChunk(byte[] chunkHash) {
        if (chunkHash == null || chunkHash.length != ModelManifest.CHUNK_HASH_LENGTH) {
            throw new IllegalArgumentException("a chunk hash is " + ModelManifest.CHUNK_HASH_LENGTH + " bytes (SHA-256)");
        }
        byte[] hash = chunkHash.clone();
        return dht.get(DhtKey.of(hash)).toCompletableFuture().thenApply(found -> {
            byte[] chunk = found.map(Record::value).orElseThrow(() -> new CompletionException(new LearningException(Reason.NOT_FOUND,
                    "no peer holds chunk " + hex(hash))));
            if (!Arrays.equals(ModelChunks.hash(chunk), hash)) {
                throw new CompletionException(new LearningException(Reason.INTEGRITY, "the record under chunk " + hex(hash)
                        + " holds other bytes: dropped"));
            }
            return chunk;
        });
    }

    /** Fetches every chunk of {@code manifest}, a few at a time, and joins them into the parameters. */
    CompletableFuture<float[]> download(ModelManifest manifest) {
        byte[][] chunks = new byte[manifest.chunkCount()][];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < settings.parallelFetches(); w++) {
            workers.add(fetchNext(manifest, chunks, next));
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).thenApply(v -> ModelChunks.join(Arrays.asList(chunks)));
    }

    private CompletableFuture<Void> fetchNext(ModelManifest manifest, byte[][] chunks, java.util.concurrent.atomic.AtomicInteger next) {
        int i = next.getAndIncrement();
        if (i >= chunks.length) {
            return CompletableFuture.completedFuture(null);
        }
        return fetchChunk(manifest.chunkHash(i)).toCompletableFuture().thenCompose(chunk -> {
            chunks[i] = chunk;
            return fetchNext(manifest, chunks, next);
        });
    }

    NodeIdentity identity() {
        return identity;
    }

    int chunkSize() {
        return settings.chunkSize();
    }

    String node() {
        return node;
    }

    private static Throwable rootOf(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String hex(byte[] hash) {
        return java.util.HexFormat.of().formatHex(hash, 0, 8);
    }
}
