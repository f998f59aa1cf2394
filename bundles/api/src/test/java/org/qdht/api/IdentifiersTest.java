package org.qdht.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.qdht.api.wire.WireFormat;
import org.qdht.api.wire.WireFormatException;

class IdentifiersTest {

    private static NodeId idWithFirstByte(int b) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) b;
        return NodeId.of(bytes);
    }

    @Test
    void nodeIdCopiesItsInputAndOutput() {
        byte[] bytes = new byte[32];
        NodeId id = NodeId.of(bytes);
        bytes[0] = 1;
        assertEquals(0, id.bytes()[0]);
        id.bytes()[0] = 9;
        assertEquals(0, id.bytes()[0]);
    }

    @Test
    void nodeIdRejectsWrongLengths() {
        assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> NodeId.of(null));
        assertThrows(IllegalArgumentException.class, () -> NodeId.fromHex("zz"));
    }

    @Test
    void commonPrefixLengthCountsLeadingEqualBits() {
        NodeId zero = idWithFirstByte(0);
        assertEquals(256, zero.commonPrefixLength(zero));
        assertEquals(0, zero.commonPrefixLength(idWithFirstByte(0x80)));
        assertEquals(7, zero.commonPrefixLength(idWithFirstByte(0x01)));
        byte[] last = new byte[32];
        last[31] = 1;
        assertEquals(255, zero.commonPrefixLength(NodeId.of(last)));
    }

    @Test
    void distanceIsXorAndOrdersCloserFirst() {
        NodeId target = idWithFirstByte(0x10);
        NodeId near = idWithFirstByte(0x11);
        NodeId far = idWithFirstByte(0x90);
        assertTrue(target.compareDistance(near, far) < 0);
        assertTrue(target.compareDistance(far, near) > 0);
        assertEquals(0, target.compareDistance(near, near));
        assertEquals(0x01, target.distanceTo(near)[0]);
        assertTrue(Arrays.equals(target.distanceTo(far), far.distanceTo(target)));
    }

    @Test
    void suiteIdParsesNamesAndHexAndExplainsUnknownOnes() {
        assertEquals(SuiteId.XWING_MLDSA65, SuiteId.parse("XWING-MLDSA65"));
        assertEquals(SuiteId.of(0xF001), SuiteId.parse("0xf001"));
        assertEquals("0xF001", SuiteId.of(0xF001).name());
        assertTrue(SuiteId.of(0xF001).isThirdParty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SuiteId.parse("kyber768"));
        assertTrue(e.getMessage().contains("xwing-mldsa65"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SuiteId.of(0));
        assertThrows(IllegalArgumentException.class, () -> SuiteId.of(0xFFFF));
    }

    @Test
    void reservedSuiteCodesAreRejectedOnTheWire() {
        byte[] frame = WireFormat.encode(SuiteId.CODEC, SuiteId.XWING_MLDSA65);
        frame[frame.length - 1] = 0;
        assertEquals(WireFormatException.Reason.MALFORMED,
                assertThrows(WireFormatException.class, () -> WireFormat.decode(SuiteId.CODEC, frame)).reason());
    }

    @Test
    void peerAddressParsesAndValidates() throws Exception {
        PeerAddress a = PeerAddress.parse("UDP://127.0.0.1:4100");
        assertEquals("udp", a.scheme());
        assertEquals("127.0.0.1:4100", a.location());
        assertEquals("udp://127.0.0.1:4100", a.toString());
        assertEquals(a, WireFormat.decode(PeerAddress.CODEC, WireFormat.encode(PeerAddress.CODEC, a)));
        assertEquals(PeerAddress.parse("udp://[::1]:4100"), PeerAddress.of("udp", "[::1]:4100"));
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("127.0.0.1:4100"));
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.of("udp", "has space"));
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.of("u_p", "x"));
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.of("udp", "x".repeat(256)));
        assertNotEquals(PeerAddress.parse("udp://a"), PeerAddress.parse("quic://a"));
    }

    @Test
    void peerAddressWithControlCharacterIsRejectedOnTheWire() {
        byte[] frame = WireFormat.encode(PeerAddress.CODEC, PeerAddress.parse("mem://node-a"));
        frame[frame.length - 1] = 0x07;
        assertEquals(WireFormatException.Reason.MALFORMED,
                assertThrows(WireFormatException.class, () -> WireFormat.decode(PeerAddress.CODEC, frame)).reason());
    }

    @Test
    void keyIdRoundTrips() throws Exception {
        KeyId k = KeyId.fromHex("000102030405060708090a0b0c0d0e0f");
        assertEquals(k, WireFormat.decode(KeyId.CODEC, WireFormat.encode(KeyId.CODEC, k)));
        assertThrows(IllegalArgumentException.class, () -> KeyId.of(new byte[15]));
    }
}
