package org.qdht.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.wire.WireFormatException.Reason;

class WireFormatTest {
    private static final NodeId ID = NodeId.fromHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    @Test
    void frameHasMagicVersionTypeAndLength() throws Exception {
        byte[] frame = WireFormat.encode(NodeId.CODEC, ID);
        assertEquals(1 + 1 + 2 + 1 + 32, frame.length);
        assertEquals(0x71, frame[0] & 0xFF);
        assertEquals(1, frame[1]);
        assertEquals(TypeCodes.NODE_ID, WireFormat.peekType(frame));
        assertEquals(32, frame[4]);
        assertEquals(ID, WireFormat.decode(NodeId.CODEC, frame));
    }

    @Test
    void wrongMagicIsMalformed() {
        byte[] frame = WireFormat.encode(NodeId.CODEC, ID);
        frame[0] = 0x70;
        assertEquals(Reason.MALFORMED, assertThrows(WireFormatException.class, () -> WireFormat.decode(NodeId.CODEC, frame)).reason());
    }

    @Test
    void unknownVersionIsUnsupported() {
        byte[] frame = WireFormat.encode(NodeId.CODEC, ID);
        frame[1] = 2;
        WireFormatException e = assertThrows(WireFormatException.class, () -> WireFormat.decode(NodeId.CODEC, frame));
        assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
    }

    @Test
    void otherTypeIsWrongType() {
        byte[] frame = WireFormat.encode(SuiteId.CODEC, SuiteId.XWING_MLDSA65);
        assertEquals(Reason.WRONG_TYPE, assertThrows(WireFormatException.class, () -> WireFormat.decode(NodeId.CODEC, frame)).reason());
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] frame = WireFormat.encode(NodeId.CODEC, ID);
        for (int length = 0; length < frame.length; length++) {
            byte[] cut = Arrays.copyOf(frame, length);
            WireFormatException e = assertThrows(WireFormatException.class, () -> WireFormat.decode(NodeId.CODEC, cut),
                    "prefix of " + length + " bytes");
            assertEquals(Reason.TRUNCATED, e.reason(), "prefix of " + length + " bytes");
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] frame = Arrays.copyOf(WireFormat.encode(NodeId.CODEC, ID), 38);
        assertEquals(Reason.TRAILING_BYTES, assertThrows(WireFormatException.class, () -> WireFormat.decode(NodeId.CODEC, frame)).reason());
    }

    @Test
    void bodyLengthAboveCodecMaximumIsOversized() {
        byte[] frame = new WireWriter().u8(0x71).u8(1).u16(TypeCodes.NODE_ID).varint(33).raw(new byte[33]).toByteArray();
        assertEquals(Reason.OVERSIZED, assertThrows(WireFormatException.class, () -> WireFormat.decode(NodeId.CODEC, frame)).reason());
    }

    @Test
    void hugeInputIsRejectedWithoutParsing() {
        byte[] huge = new byte[10_000];
        assertEquals(Reason.OVERSIZED, assertThrows(WireFormatException.class, () -> WireFormat.decode(NodeId.CODEC, huge)).reason());
    }
}
