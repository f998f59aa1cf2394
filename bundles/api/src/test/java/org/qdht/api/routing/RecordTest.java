package org.qdht.api.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.wire.WireFormat;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireFormatException.Reason;

class RecordTest {
    static final NodeId PUBLISHER = NodeId.of(new byte[32]);
    static final KeyId KEY_ID = KeyId.of(new byte[16]);

    static Record signed(String name, String value, long version) {
        return Record.unsigned(DhtKey.ofName(name), value.getBytes(StandardCharsets.UTF_8), version, 1_000_000L,
                PUBLISHER, SuiteId.XWING_MLDSA65, KEY_ID, false).withSignature(new byte[3309]);
    }

    @Test
    void signedRecordRoundTrips() throws Exception {
        Record r = signed("alpha", "hello", 3);
        Record back = WireFormat.decode(Record.CODEC, WireFormat.encode(Record.CODEC, r));
        assertEquals(r, back);
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), back.value());
        assertEquals(SuiteId.XWING_MLDSA65, back.suite());
    }

    @Test
    void toBeSignedCoversEveryFieldButTheSignature() {
        Record a = signed("alpha", "hello", 3);
        assertArrayEquals(a.toBeSigned(), a.withSignature(new byte[] {1}).toBeSigned());
        assertFalse(Arrays.equals(a.toBeSigned(), signed("alpha", "hello", 4).toBeSigned()));
        assertFalse(Arrays.equals(a.toBeSigned(), signed("alpha", "hellO", 3).toBeSigned()));
        assertFalse(Arrays.equals(a.toBeSigned(), signed("beta", "hello", 3).toBeSigned()));
        String prefix = new String(a.toBeSigned(), 1, Record.SIGNING_DOMAIN.length(), StandardCharsets.UTF_8);
        assertEquals(Record.SIGNING_DOMAIN, prefix);
    }

    @Test
    void higherVersionSupersedes() {
        assertTrue(signed("k", "b", 2).supersedes(signed("k", "a", 1)));
        assertFalse(signed("k", "a", 1).supersedes(signed("k", "b", 2)));
        assertFalse(signed("other", "b", 2).supersedes(signed("k", "a", 1)));
    }

    @Test
    void unsignedRecordIsNeverDecoded() {
        Record unsigned = Record.unsigned(DhtKey.ofName("x"), new byte[1], 1, 1, PUBLISHER, SuiteId.XWING_MLDSA65, KEY_ID, false);
        byte[] frame = WireFormat.encode(Record.CODEC, unsigned);
        assertEquals(Reason.MALFORMED, assertThrows(WireFormatException.class, () -> WireFormat.decode(Record.CODEC, frame)).reason());
    }

    @Test
    void valueAboveMaximumIsRefusedWhenBuiltAndWhenDecoded() {
        assertThrows(IllegalArgumentException.class, () -> Record.unsigned(DhtKey.ofName("x"),
                new byte[Record.MAX_VALUE_SIZE + 1], 1, 1, PUBLISHER, SuiteId.XWING_MLDSA65, KEY_ID, false));
        Record max = Record.unsigned(DhtKey.ofName("x"), new byte[Record.MAX_VALUE_SIZE], 1, 1, PUBLISHER,
                SuiteId.XWING_MLDSA65, KEY_ID, false).withSignature(new byte[1]);
        assertEquals(max, assertDoesNotThrowDecode(WireFormat.encode(Record.CODEC, max)));
        byte[] body = new org.qdht.api.wire.WireWriter().raw(new byte[32]).varint(Record.MAX_VALUE_SIZE + 1)
                .raw(new byte[100]).toByteArray();
        byte[] frame = new org.qdht.api.wire.WireWriter().u8(WireFormat.MAGIC).u8(WireFormat.VERSION)
                .u16(org.qdht.api.wire.TypeCodes.RECORD).varint(body.length).raw(body).toByteArray();
        assertEquals(Reason.OVERSIZED, assertThrows(WireFormatException.class, () -> WireFormat.decode(Record.CODEC, frame)).reason());
    }

    @Test
    void unknownFlagsAndTombstonesWithValuesAreMalformed() {
        Record r = signed("k", "v", 1);
        byte[] frame = WireFormat.encode(Record.CODEC, r);
        int flagsAt = frame.length - 1 - 2 - 3309; // flags, then a 2-byte varint length, then the signature
        assertEquals(0, frame[flagsAt]);
        frame[flagsAt] = 2;
        assertEquals(Reason.MALFORMED, assertThrows(WireFormatException.class, () -> WireFormat.decode(Record.CODEC, frame)).reason());
        frame[flagsAt] = 1;
        assertEquals(Reason.MALFORMED, assertThrows(WireFormatException.class, () -> WireFormat.decode(Record.CODEC, frame)).reason());
    }

    @Test
    void tombstoneHasNoValue() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Record.unsigned(DhtKey.ofName("k"), new byte[1], 2, 1, PUBLISHER,
                SuiteId.XWING_MLDSA65, KEY_ID, true));
        Record t = Record.unsigned(DhtKey.ofName("k"), new byte[0], 2, 1, PUBLISHER, SuiteId.XWING_MLDSA65, KEY_ID, true)
                .withSignature(new byte[5]);
        assertTrue(WireFormat.decode(Record.CODEC, WireFormat.encode(Record.CODEC, t)).isTombstone());
    }

    @Test
    void peerInfoNeedsOneToEightAddresses() throws Exception {
        PeerInfo p = PeerInfo.of(PUBLISHER, List.of(PeerAddress.parse("udp://127.0.0.1:1"), PeerAddress.parse("quic://127.0.0.1:2")));
        assertEquals(p, WireFormat.decode(PeerInfo.CODEC, WireFormat.encode(PeerInfo.CODEC, p)));
        assertThrows(IllegalArgumentException.class, () -> PeerInfo.of(PUBLISHER, List.of()));
        byte[] noAddresses = org.qdht.api.wire.WireFormat.encode(NodeId.CODEC, PUBLISHER);
        assertThrows(WireFormatException.class, () -> WireFormat.decode(PeerInfo.CODEC, noAddresses));
    }

    @Test
    void dhtKeyOfNameIsSha256() {
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", DhtKey.ofName("hello").toHex());
    }

    private static Record assertDoesNotThrowDecode(byte[] frame) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> WireFormat.decode(Record.CODEC, frame));
    }
}
