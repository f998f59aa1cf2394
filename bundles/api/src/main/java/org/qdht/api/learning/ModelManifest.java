package org.qdht.api.learning;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.routing.Record;
import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * One version of a shared model, signed by a master node: the SHA-256 hashes of the model's chunks
 * in order, and metadata. The chunks, concatenated, are the model's parameters as big-endian IEEE
 * 754 float32 values; every chunk but the last has the same size, at most
 * {@value ModelRegistry#MAX_CHUNK_SIZE} bytes. Chunk hashes are plain SHA-256 under every suite, so
 * content addresses survive suite switches.
 *
 * <p>The signature covers {@link #toBeSigned()}: {@value #SIGNING_DOMAIN} and every field but the
 * signature. It names the suite and key it was made with; verification is the crypto suite's job,
 * this class only carries and encodes. Metadata is kept sorted by key, so the encoding is canonical.
 *
 * <p>Limits: 1-{@value #MAX_CHUNKS} chunk hashes of {@value #CHUNK_HASH_LENGTH} bytes; at most
 * {@value #MAX_METADATA_ENTRIES} metadata entries, keys 1-{@value #MAX_METADATA_KEY_LENGTH}
 * characters of {@code [a-z0-9._-]}, values at most {@value #MAX_METADATA_VALUE_SIZE} UTF-8 bytes;
 * signature 1-{@value Record#MAX_SIGNATURE_SIZE} bytes; version not negative. Immutable and thread safe.
 */
public final class ModelManifest {
    public static final int CHUNK_HASH_LENGTH = 32;
    public static final int MAX_CHUNKS = 65_536;
    public static final int MAX_METADATA_ENTRIES = 32;
    public static final int MAX_METADATA_KEY_LENGTH = 64;
    public static final int MAX_METADATA_VALUE_SIZE = 1_024;
    /** Metadata key naming the model type, matched against {@link LocalTrainer#MODEL_TYPE_PROPERTY}. */
    public static final String MODEL_TYPE_KEY = "model.type";
    /** Domain label that starts the signed bytes, so a manifest signature is never valid for anything else. */
    public static final String SIGNING_DOMAIN = "qdht/model-manifest/v1";
    /** Largest body of a {@link #CODEC} frame. */
    public static final int MAX_ENCODED_SIZE = 1 + ModelId.MAX_LENGTH + 8
            + 3 + MAX_CHUNKS * CHUNK_HASH_LENGTH
            + 1 + MAX_METADATA_ENTRIES * (1 + MAX_METADATA_KEY_LENGTH + 2 + MAX_METADATA_VALUE_SIZE)
            + NodeId.LENGTH + 2 + KeyId.LENGTH + 3 + Record.MAX_SIGNATURE_SIZE;

    private static final Pattern METADATA_KEY = Pattern.compile("[a-z0-9._-]{1," + MAX_METADATA_KEY_LENGTH + "}");

    public static final WireCodec<ModelManifest> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.MODEL_MANIFEST;
        }

        @Override
        public int maxBodySize() {
            return MAX_ENCODED_SIZE;
        }

        @Override
        public void write(ModelManifest value, WireWriter out) {
            value.writeContent(out);
            out.bytes(value.signature, Record.MAX_SIGNATURE_SIZE);
        }

        @Override
        public ModelManifest read(WireReader in) throws WireFormatException {
            return ModelManifest.readFrom(in);
        }
    };

    private final ModelId model;
    private final long version;
    private final byte[][] chunkHashes;
    private final SortedMap<String, String> metadata;
    private final NodeId master;
    private final SuiteId suite;
    private final KeyId keyId;
    private final byte[] signature;

    private ModelManifest(ModelId model, long version, byte[][] chunkHashes, SortedMap<String, String> metadata,
            NodeId master, SuiteId suite, KeyId keyId, byte[] signature) {
        this.model = model;
        this.version = version;
        this.chunkHashes = chunkHashes;
        this.metadata = metadata;
        this.master = master;
        this.suite = suite;
        this.keyId = keyId;
        this.signature = signature;
    }

    /**
     * An unsigned manifest; sign {@link #toBeSigned()} and attach the result with {@link #withSignature}.
     *
     * @throws IllegalArgumentException for a null field, a negative version, or chunk hashes or
     *         metadata breaking the limits above (the message names the offending entry)
     */
    public static ModelManifest unsigned(ModelId model, long version, List<byte[]> chunkHashes,
            Map<String, String> metadata, NodeId master, SuiteId suite, KeyId keyId) {
        if (model == null || chunkHashes == null || metadata == null || master == null || suite == null
                || keyId == null) {
            throw new IllegalArgumentException("manifest fields must not be null (use an empty map for no metadata)");
        }
        if (version < 0) {
            throw new IllegalArgumentException("model version must not be negative: " + version);
        }
        if (chunkHashes.isEmpty() || chunkHashes.size() > MAX_CHUNKS) {
            throw new IllegalArgumentException("manifest needs 1-" + MAX_CHUNKS + " chunk hashes, got " + chunkHashes.size());
        }
        byte[][] hashes = new byte[chunkHashes.size()][];
        for (int i = 0; i < hashes.length; i++) {
            byte[] h = chunkHashes.get(i);
            if (h == null || h.length != CHUNK_HASH_LENGTH) {
                throw new IllegalArgumentException("chunk hash " + i + " must be " + CHUNK_HASH_LENGTH + " bytes (SHA-256), got "
                        + (h == null ? "null" : h.length));
            }
            hashes[i] = h.clone();
        }
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("manifest has " + metadata.size() + " metadata entries, maximum "
                    + MAX_METADATA_ENTRIES);
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key == null || !METADATA_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("metadata key must be 1-" + MAX_METADATA_KEY_LENGTH
                        + " characters of a-z, 0-9, '.', '_' and '-': '" + key + "'");
            }
            String value = e.getValue();
            if (value == null || value.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_VALUE_SIZE) {
                throw new IllegalArgumentException("metadata value of '" + key + "' must be at most "
                        + MAX_METADATA_VALUE_SIZE + " UTF-8 bytes");
            }
            sorted.put(key, value);
        }
        return new ModelManifest(model, version, hashes, Collections.unmodifiableSortedMap(sorted), master, suite,
                keyId, new byte[0]);
    }

    /** This manifest with {@code signature} attached; the signature is not checked here. */
    public ModelManifest withSignature(byte[] signature) {
        if (signature == null || signature.length == 0 || signature.length > Record.MAX_SIGNATURE_SIZE) {
            throw new IllegalArgumentException("signature must be 1-" + Record.MAX_SIGNATURE_SIZE + " bytes");
        }
        return new ModelManifest(model, version, chunkHashes, metadata, master, suite, keyId, signature.clone());
    }

    /** The bytes the master signs: {@link #SIGNING_DOMAIN} followed by every field but the signature. */
    public byte[] toBeSigned() {
        WireWriter out = new WireWriter(chunkHashes.length * CHUNK_HASH_LENGTH + 256);
        out.string(SIGNING_DOMAIN, 32);
        writeContent(out);
        return out.toByteArray();
    }

    public ModelId model() {
        return model;
    }

    public long version() {
        return version;
    }

    public int chunkCount() {
        return chunkHashes.length;
    }

    /** A copy of the SHA-256 hash of chunk {@code index}. */
    public byte[] chunkHash(int index) {
        return chunkHashes[index].clone();
    }

    /** Copies of every chunk hash, in chunk order. */
    public List<byte[]> chunkHashes() {
        List<byte[]> out = new ArrayList<>(chunkHashes.length);
        for (byte[] h : chunkHashes) {
            out.add(h.clone());
        }
        return out;
    }

    /** Unmodifiable metadata, sorted by key. */
    public SortedMap<String, String> metadata() {
        return metadata;
    }

    /** The value of {@link #MODEL_TYPE_KEY}, if present. */
    public Optional<String> modelType() {
        return Optional.ofNullable(metadata.get(MODEL_TYPE_KEY));
    }

    /** The master node that signed the manifest. */
    public NodeId master() {
        return master;
    }

    public SuiteId suite() {
        return suite;
    }

    public KeyId keyId() {
        return keyId;
    }

    public boolean isSigned() {
        return signature.length > 0;
    }

    /** A copy of the signature bytes (empty if unsigned). */
    public byte[] signature() {
        return signature.clone();
    }

    /** True if this manifest replaces {@code other}: same model, higher version. */
    public boolean supersedes(ModelManifest other) {
        return model.equals(other.model) && version > other.version;
    }

    private void writeContent(WireWriter out) {
        model.writeTo(out);
        out.i64(version);
        out.list(Arrays.asList(chunkHashes), MAX_CHUNKS, (h, w) -> w.fixed(h, CHUNK_HASH_LENGTH));
        out.list(metadata.entrySet(), MAX_METADATA_ENTRIES,
                (e, w) -> w.string(e.getKey(), MAX_METADATA_KEY_LENGTH).string(e.getValue(), MAX_METADATA_VALUE_SIZE));
        master.writeTo(out);
        suite.writeTo(out);
        keyId.writeTo(out);
    }

    static ModelManifest readFrom(WireReader in) throws WireFormatException {
        ModelId model = ModelId.readFrom(in);
        int at = in.position();
        long version = in.i64("model version");
        if (version < 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "model version must not be negative");
        }
        at = in.position();
        List<byte[]> hashes = in.list(MAX_CHUNKS, "chunk hashes", r -> r.fixed(CHUNK_HASH_LENGTH, "chunk hash"));
        if (hashes.isEmpty()) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "manifest has no chunk");
        }
        TreeMap<String, String> metadata = new TreeMap<>();
        String previous = null;
        at = in.position();
        int count = in.varint("metadata count");
        if (count > MAX_METADATA_ENTRIES) {
            throw new WireFormatException(WireFormatException.Reason.OVERSIZED, at, "manifest has " + count
                    + " metadata entries, maximum " + MAX_METADATA_ENTRIES);
        }
        for (int i = 0; i < count; i++) {
            at = in.position();
            String key = in.string(MAX_METADATA_KEY_LENGTH, "metadata key");
            if (!METADATA_KEY.matcher(key).matches()) {
                throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "metadata key must be 1-"
                        + MAX_METADATA_KEY_LENGTH + " characters of a-z, 0-9, '.', '_' and '-'");
            }
            if (previous != null && key.compareTo(previous) <= 0) {
                throw new WireFormatException(key.equals(previous) ? WireFormatException.Reason.MALFORMED
                        : WireFormatException.Reason.NON_CANONICAL, at, "metadata keys must be unique and in ascending order");
            }
            previous = key;
            metadata.put(key, in.string(MAX_METADATA_VALUE_SIZE, "metadata value"));
        }
        NodeId master = NodeId.readFrom(in);
        SuiteId suite = SuiteId.readFrom(in);
        KeyId keyId = KeyId.readFrom(in);
        at = in.position();
        byte[] signature = in.bytes(Record.MAX_SIGNATURE_SIZE, "manifest signature");
        if (signature.length == 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "manifest is not signed");
        }
        return new ModelManifest(model, version, hashes.toArray(new byte[0][]), Collections.unmodifiableSortedMap(metadata),
                master, suite, keyId, signature);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelManifest)) {
            return false;
        }
        ModelManifest m = (ModelManifest) o;
        return model.equals(m.model) && version == m.version && Arrays.deepEquals(chunkHashes, m.chunkHashes)
                && metadata.equals(m.metadata) && master.equals(m.master) && suite.equals(m.suite)
                && keyId.equals(m.keyId) && Arrays.equals(signature, m.signature);
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "ModelManifest[" + model + " v" + version + ", " + chunkHashes.length + " chunks, first "
                + HexFormat.of().formatHex(chunkHashes[0]).substring(0, 16) + ", by " + master.toShortString() + " "
                + suite + "]";
    }
}
