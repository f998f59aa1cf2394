package org.qdht.api.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.routing.Record;
import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireFormat;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireFormatException.Reason;
import org.qdht.api.wire.WireWriter;

class ModelManifestTest {
    private static final ModelId MODEL = ModelId.of("mnist-cnn");
    private static final NodeId MASTER = NodeId.of(filled(NodeId.LENGTH, 4));
    private static final KeyId KEY = KeyId.of(filled(KeyId.LENGTH, 5));
    private static final byte[] SIGNATURE = filled(3_309, 6);

    @Test
    void signedManifestRoundTrips() throws WireFormatException {
        ModelManifest m = sample(3);
        ModelManifest decoded = WireFormat.decode(ModelManifest.CODEC, WireFormat.encode(ModelManifest.CODEC, m));
        assertEquals(m, decoded);
        assertEquals(MODEL, decoded.model());
        assertEquals(42, decoded.version());
        assertEquals(3, decoded.chunkCount());
        assertArrayEquals(hash(2), decoded.chunkHash(2));
        assertEquals("mnist-cnn", decoded.modelType().orElseThrow());
        assertEquals(List.of("accuracy", "model.type"), new ArrayList<>(decoded.metadata().keySet()));
        assertEquals(SuiteId.XWING_MLDSA65, decoded.suite());
        assertArrayEquals(SIGNATURE, decoded.signature());
    }

    @Test
    void largestChunkListRoundTrips() throws WireFormatException {
        ModelManifest m = sample(ModelManifest.MAX_CHUNKS);
        assertEquals(m, WireFormat.decode(ModelManifest.CODEC, WireFormat.encode(ModelManifest.CODEC, m)));
    }

    @Test
    void signedBytesStartWithTheDomainAndExcludeTheSignature() {
        ModelManifest unsigned = unsigned(2);
        ModelManifest signed = unsigned.withSignature(SIGNATURE);
        assertArrayEquals(unsigned.toBeSigned(), signed.toBeSigned());
        byte[] domain = ModelManifest.SIGNING_DOMAIN.getBytes(StandardCharsets.US_ASCII);
        byte[] tbs = signed.toBeSigned();
        assertEquals(domain.length, tbs[0]);
        assertArrayEquals(domain, Arrays.copyOfRange(tbs, 1, 1 + domain.length));
        assertFalse(unsigned.isSigned());
        assertTrue(signed.isSigned());
    }

    @Test
    void metadataOrderDoesNotChangeTheEncoding() {
        Map<String, String> a = new HashMap<>();
        a.put("z", "1");
        a.put("a", "2");
        Map<String, String> b = new java.util.LinkedHashMap<>();
        b.put("a", "2");
        b.put("z", "1");
        ModelManifest ma = ModelManifest.unsigned(MODEL, 1, hashes(1), a, MASTER, SuiteId.XWING_MLDSA65, KEY);
        ModelManifest mb = ModelManifest.unsigned(MODEL, 1, hashes(1), b, MASTER, SuiteId.XWING_MLDSA65, KEY);
        assertArrayEquals(ma.toBeSigned(), mb.toBeSigned());
    }

    @Test
    void hashesAreCopiedInAndOut() {
        List<byte[]> hashes = hashes(2);
        ModelManifest m = ModelManifest.unsigned(MODEL, 1, hashes, Map.of(), MASTER, SuiteId.XWING_MLDSA65, KEY);
        hashes.get(0)[0] = 99;
        m.chunkHash(0)[1] = 99;
        m.chunkHashes().get(0)[2] = 99;
        assertArrayEquals(hash(0), m.chunkHash(0));
    }

    @Test
    void factoryRejectsBadValues() {
        assertThrows(IllegalArgumentException.class,
                () -> ModelManifest.unsigned(MODEL, 1, List.of(), Map.of(), MASTER, SuiteId.XWING_MLDSA65, KEY));
        assertThrows(IllegalArgumentException.class,
                () -> ModelManifest.unsigned(MODEL, 1, List.of(new byte[31]), Map.of(), MASTER, SuiteId.XWING_MLDSA65, KEY));
        assertThrows(IllegalArgumentException.class,
                () -> ModelManifest.unsigned(MODEL, -1, hashes(1), Map.of(), MASTER, SuiteId.XWING_MLDSA65, KEY));
        assertThrows(IllegalArgumentException.class,
                () -> ModelManifest.unsigned(MODEL, 1, hashes(ModelManifest.MAX_CHUNKS + 1), Map.of(), MASTER,
                        SuiteId.XWING_MLDSA65, KEY));
        assertThrows(IllegalArgumentException.class,
                () -> ModelManifest.unsigned(MODEL, 1, hashes(1), Map.of("Bad Key", "x"), MASTER, SuiteId.XWING_MLDSA65, KEY));
        assertThrows(IllegalArgumentException.class,
                () -> ModelManifest.unsigned(MODEL, 1, hashes(1), Map.of("k", "x".repeat(ModelManifest.MAX_METADATA_VALUE_SIZE + 1)),
                        MASTER, SuiteId.XWING_MLDSA65, KEY));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= ModelManifest.MAX_METADATA_ENTRIES; i++) {
            many.put("k" + i, "v");
        }
        assertThrows(IllegalArgumentException.class,
                () -> ModelManifest.unsigned(MODEL, 1, hashes(1), many, MASTER, SuiteId.XWING_MLDSA65, KEY));
        assertThrows(IllegalArgumentException.class, () -> unsigned(1).withSignature(new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> unsigned(1).withSignature(new byte[Record.MAX_SIGNATURE_SIZE + 1]));
        assertThrows(IllegalArgumentException.class, () -> ModelId.of("MNIST"));
        assertThrows(IllegalArgumentException.class, () -> ModelId.of("x".repeat(ModelId.MAX_LENGTH + 1)));
    }

    @Test
    void rejectsUnsignedManifest() {
        byte[] frame = WireFormat.encode(ModelManifest.CODEC, unsigned(1));
        assertReason(Reason.MALFORMED, frame);
    }

    @Test
    void rejectsTruncatedFrame() {
        byte[] frame = WireFormat.encode(ModelManifest.CODEC, sample(2));
        assertReason(Reason.TRUNCATED, Arrays.copyOf(frame, frame.length - 1));
        assertReason(Reason.TRUNCATED, Arrays.copyOf(frame, 2));
    }

    @Test
    void rejectsBodyCutShortInsideAConsistentFrame() {
        WireWriter body = new WireWriter();
        MODEL.writeTo(body);
        body.i64(1).varint(2).raw(hash(0)).raw(new byte[10]);
        assertReason(Reason.TRUNCATED, frame(body));

        WireWriter cutSignature = tail(head(1).varint(0)).varint(100).raw(new byte[50]);
        assertReason(Reason.TRUNCATED, frame(cutSignature));
    }

    @Test
    void rejectsTooManyChunks() {
        WireWriter body = new WireWriter();
        MODEL.writeTo(body);
        body.i64(1).varint(ModelManifest.MAX_CHUNKS + 1);
        assertReason(Reason.OVERSIZED, frame(body));
    }

    @Test
    void rejectsTooManyMetadataEntries() {
        WireWriter body = head(1).varint(ModelManifest.MAX_METADATA_ENTRIES + 1);
        assertReason(Reason.OVERSIZED, frame(body));
    }

    @Test
    void rejectsOversizedMetadataValue() {
        WireWriter body = head(1).varint(1).string("k", 64).varint(ModelManifest.MAX_METADATA_VALUE_SIZE + 1);
        assertReason(Reason.OVERSIZED, frame(body));
    }

    @Test
    void rejectsOversizedSignature() {
        WireWriter body = tail(head(1).varint(0)).varint(Record.MAX_SIGNATURE_SIZE + 1);
        assertReason(Reason.OVERSIZED, frame(body));
    }

    @Test
    void rejectsOversizedFrame() {
        WireWriter header = new WireWriter().u8(WireFormat.MAGIC).u8(WireFormat.VERSION).u16(TypeCodes.MODEL_MANIFEST)
                .varint(ModelManifest.MAX_ENCODED_SIZE + 1);
        assertReason(Reason.OVERSIZED, header.toByteArray());
    }

    @Test
    void rejectsManifestWithoutChunks() {
        WireWriter body = new WireWriter();
        MODEL.writeTo(body);
        body.i64(1).varint(0).varint(0);
        tail(body).bytes(SIGNATURE, Record.MAX_SIGNATURE_SIZE);
        assertReason(Reason.MALFORMED, frame(body));
    }

    @Test
    void rejectsBadModelId() {
        WireWriter body = new WireWriter().string("Not Valid", 64).i64(1).varint(1).raw(hash(0)).varint(0);
        tail(body).bytes(SIGNATURE, Record.MAX_SIGNATURE_SIZE);
        assertReason(Reason.MALFORMED, frame(body));
    }

    @Test
    void rejectsNegativeVersion() {
        WireWriter body = new WireWriter();
        MODEL.writeTo(body);
        body.i64(-1).varint(1).raw(hash(0)).varint(0);
        tail(body).bytes(SIGNATURE, Record.MAX_SIGNATURE_SIZE);
        assertReason(Reason.MALFORMED, frame(body));
    }

    @Test
    void rejectsBadMetadataKey() {
        WireWriter body = head(1).varint(1).string("UPPER", 64).string("v", 1024);
        tail(body).bytes(SIGNATURE, Record.MAX_SIGNATURE_SIZE);
        assertReason(Reason.MALFORMED, frame(body));
    }

    @Test
    void rejectsUnsortedMetadata() {
        WireWriter body = head(1).varint(2).string("b", 64).string("1", 1024).string("a", 64).string("2", 1024);
        tail(body).bytes(SIGNATURE, Record.MAX_SIGNATURE_SIZE);
        assertReason(Reason.NON_CANONICAL, frame(body));
    }

    @Test
    void rejectsDuplicateMetadataKeys() {
        WireWriter body = head(1).varint(2).string("a", 64).string("1", 1024).string("a", 64).string("2", 1024);
        tail(body).bytes(SIGNATURE, Record.MAX_SIGNATURE_SIZE);
        assertReason(Reason.MALFORMED, frame(body));
    }

    @Test
    void rejectsMalformedUtf8InMetadataValue() {
        WireWriter body = head(1).varint(1).string("a", 64).bytes(new byte[] {(byte) 0xC3, 0x28}, 1024);
        tail(body).bytes(SIGNATURE, Record.MAX_SIGNATURE_SIZE);
        assertReason(Reason.MALFORMED, frame(body));
    }

    @Test
    void rejectsReservedSuite() {
        WireWriter body = head(1).varint(0);
        MASTER.writeTo(body);
        body.u16(0);
        KEY.writeTo(body);
        body.bytes(SIGNATURE, Record.MAX_SIGNATURE_SIZE);
        assertReason(Reason.MALFORMED, frame(body));
    }

    @Test
    void rejectsTrailingBytesInsideTheBody() {
        WireWriter body = tail(head(1).varint(0)).bytes(SIGNATURE, Record.MAX_SIGNATURE_SIZE).u8(0);
        assertReason(Reason.TRAILING_BYTES, frame(body));
    }

    @Test
    void rejectsAnotherType() {
        byte[] frame = WireFormat.encode(ModelManifest.CODEC, sample(1));
        frame[3] = (byte) TypeCodes.MESSAGE;
        assertReason(Reason.WRONG_TYPE, frame);
    }

    private static ModelManifest sample(int chunks) {
        return unsigned(chunks).withSignature(SIGNATURE);
    }

    private static ModelManifest unsigned(int chunks) {
        Map<String, String> metadata = Map.of(ModelManifest.MODEL_TYPE_KEY, "mnist-cnn", "accuracy", "0.97");
        return ModelManifest.unsigned(MODEL, 42, hashes(chunks), metadata, MASTER, SuiteId.XWING_MLDSA65, KEY);
    }

    /** Model id, version 1 and {@code chunks} chunk hashes; metadata follows. */
    private static WireWriter head(int chunks) {
        WireWriter out = new WireWriter();
        MODEL.writeTo(out);
        out.i64(1).varint(chunks);
        for (int i = 0; i < chunks; i++) {
            out.raw(hash(i));
        }
        return out;
    }

    /** Master, suite and key id, written after the metadata; the signature follows. */
    private static WireWriter tail(WireWriter out) {
        MASTER.writeTo(out);
        SuiteId.XWING_MLDSA65.writeTo(out);
        KEY.writeTo(out);
        return out;
    }

    private static byte[] frame(WireWriter body) {
        byte[] b = body.toByteArray();
        return new WireWriter().u8(WireFormat.MAGIC).u8(WireFormat.VERSION).u16(TypeCodes.MODEL_MANIFEST)
                .varint(b.length).raw(b).toByteArray();
    }

    private static void assertReason(Reason expected, byte[] frame) {
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> WireFormat.decode(ModelManifest.CODEC, frame));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    private static List<byte[]> hashes(int count) {
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(hash(i));
        }
        return out;
    }

    private static byte[] hash(int i) {
        byte[] h = new byte[ModelManifest.CHUNK_HASH_LENGTH];
        h[0] = (byte) (i >>> 16);
        h[1] = (byte) (i >>> 8);
        h[2] = (byte) i;
        return h;
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
