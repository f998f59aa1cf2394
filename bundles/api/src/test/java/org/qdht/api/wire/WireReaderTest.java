package org.qdht.api.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qdht.api.wire.WireFormatException.Reason;

class WireReaderTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 300, 16_383, 16_384, 2_097_151, 2_097_152, Integer.MAX_VALUE})
    void varintRoundTripsInShortestForm(int value) throws Exception {
        byte[] encoded = new WireWriter().varint(value).toByteArray();
        int expectedLength = value < (1 << 7) ? 1 : value < (1 << 14) ? 2 : value < (1 << 21) ? 3 : value < (1 << 28) ? 4 : 5;
        assertEquals(expectedLength, encoded.length);
        WireReader in = new WireReader(encoded);
        assertEquals(value, in.varint("v"));
        in.expectEnd("v");
    }

    @Test
    void varintWithRedundantZeroByteIsNotCanonical() {
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> new WireReader(new byte[] {(byte) 0x81, 0x00}).varint("len"));
        assertEquals(Reason.NON_CANONICAL, e.reason());
    }

    @Test
    void varintAboveIntMaxIsOversized() {
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> new WireReader(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}).varint("len"));
        assertEquals(Reason.OVERSIZED, e.reason());
    }

    @Test
    void varintOfSixBytesIsMalformed() {
        byte[] six = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertEquals(Reason.MALFORMED, assertThrows(WireFormatException.class, () -> new WireReader(six).varint("v")).reason());
    }

    @Test
    void truncatedFixedFieldNamesTheField() {
        WireFormatException e = assertThrows(WireFormatException.class, () -> new WireReader(new byte[3]).fixed(4, "node id"));
        assertEquals(Reason.TRUNCATED, e.reason());
        assertEquals(0, e.offset());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("node id"), e.getMessage());
    }

    @Test
    void lengthAboveFieldMaximumIsRejectedBeforeReading() {
        byte[] input = new WireWriter().varint(1000).toByteArray();
        WireFormatException e = assertThrows(WireFormatException.class, () -> new WireReader(input).bytes(999, "value"));
        assertEquals(Reason.OVERSIZED, e.reason());
    }

    @Test
    void lengthBeyondInputIsTruncated() {
        byte[] input = new WireWriter().varint(10).raw(new byte[3]).toByteArray();
        assertEquals(Reason.TRUNCATED, assertThrows(WireFormatException.class, () -> new WireReader(input).bytes(100, "value")).reason());
    }

    @Test
    void listCountIsCheckedAgainstMaximumAndRemainingBytes() {
        byte[] tooMany = new WireWriter().varint(9).toByteArray();
        assertEquals(Reason.OVERSIZED, assertThrows(WireFormatException.class,
                () -> new WireReader(tooMany).list(8, "xs", r -> r.u8("x"))).reason());
        byte[] hugeCount = new WireWriter().varint(5).u8(1).toByteArray();
        assertEquals(Reason.TRUNCATED, assertThrows(WireFormatException.class,
                () -> new WireReader(hugeCount).list(1_000, "xs", r -> r.u8("x"))).reason());
        byte[] ok = new WireWriter().list(List.of(7, 8), 8, (v, w) -> w.u8(v)).toByteArray();
        assertEquals(List.of(7, 8), assertDoesNotThrow(() -> new WireReader(ok).list(8, "xs", r -> r.u8("x"))));
    }

    @Test
    void malformedUtf8IsRejected() {
        byte[] input = new WireWriter().bytes(new byte[] {(byte) 0xC3, 0x28}, 10).toByteArray();
        assertEquals(Reason.MALFORMED, assertThrows(WireFormatException.class, () -> new WireReader(input).string(10, "s")).reason());
    }

    @Test
    void boolAcceptsOnlyZeroAndOne() throws Exception {
        assertEquals(true, new WireReader(new byte[] {1}).bool("b"));
        assertEquals(Reason.MALFORMED, assertThrows(WireFormatException.class, () -> new WireReader(new byte[] {2}).bool("b")).reason());
    }

    @Test
    void integersAreBigEndian() throws Exception {
        byte[] encoded = new WireWriter().u16(0x0102).u32(0x03040506L).i64(-2).toByteArray();
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, -1, -1, -1, -1, -1, -1, -1, -2}, encoded);
        WireReader in = new WireReader(encoded);
        assertEquals(0x0102, in.u16("a"));
        assertEquals(0x03040506L, in.u32("b"));
        assertEquals(-2, in.i64("c"));
    }

    @Test
    void writerRefusesValuesAboveFieldMaximum() {
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().bytes(new byte[11], 10));
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().u16(0x10000));
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().varint(-1));
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }
}
