package org.qdht.onion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qdht.api.KeyId;

class PacketFormatTest {
    @Test
    void xwingSizesAtTheDefaults() {
        PacketFormat f = PacketFormat.defaults(TestNodes.XWING);
        // B = 1 + 32 + 80 + 16 + 1120 + 32; header = 16 + 1120 + 32 + 5B
        assertEquals(1281, f.blockSize());
        assertEquals(7573, f.headerSize());
        assertEquals(7573 + 16_384, f.packetSize());
        assertEquals(32 + 80 + 7573 + 32, f.surbSize());
        assertEquals(16_384 - 20, f.maxMessageSize());
        report("X-Wing", f);
    }

    @Test
    void mlKem1024SizesAtTheDefaults() {
        PacketFormat f = PacketFormat.defaults(TestNodes.MLKEM1024);
        assertEquals(1729, f.blockSize());
        assertEquals(16 + 1568 + 32 + 5 * 1729, f.headerSize());
        assertEquals(10_261 + 16_384, f.packetSize());
        assertEquals(32 + 80 + 10_261 + 32, f.surbSize());
        report("ML-KEM-1024", f);
    }

    @Test
    void refusesSettingsOutOfRange() {
        IllegalArgumentException hops = assertThrows(IllegalArgumentException.class, () -> new PacketFormat(TestNodes.XWING, 0, 16_384));
        assertTrue(hops.getMessage().contains("maxHops"), hops.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PacketFormat(TestNodes.XWING, 9, 16_384));
        IllegalArgumentException payload = assertThrows(IllegalArgumentException.class, () -> new PacketFormat(TestNodes.XWING, 5, 63));
        assertTrue(payload.getMessage().contains("payloadSize"), payload.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PacketFormat(TestNodes.XWING, 5, (1 << 20) + 1));
        assertEquals(1, new PacketFormat(TestNodes.XWING, 1, 64).maxHops());
        assertEquals(8, new PacketFormat(TestNodes.XWING, 8, 64).maxHops());
    }

    @Test
    void keyIdOfReadsTheFirstSixteenBytes() throws OnionException {
        byte[] packet = TestNodes.randomBytes(100);
        assertArrayEquals(java.util.Arrays.copyOf(packet, KeyId.LENGTH), PacketFormat.keyIdOf(packet).bytes());
        OnionException e = assertThrows(OnionException.class, () -> PacketFormat.keyIdOf(new byte[15]));
        assertEquals(OnionException.Reason.MALFORMED, e.reason());
        assertEquals("packet-malformed", e.counterName());
    }

    private static void report(String name, PacketFormat f) {
        System.out.printf("%s, R=%d, P=%d: block %d B, header %d B, packet %d B, SURB %d B%n", name, f.maxHops(),
                f.payloadSize(), f.blockSize(), f.headerSize(), f.packetSize(), f.surbSize());
    }
}
