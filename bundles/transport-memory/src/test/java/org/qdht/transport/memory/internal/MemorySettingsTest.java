package org.qdht.transport.memory.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MemorySettingsTest {

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertRefused("lossRate", () -> new MemorySettings(-0.1, 0, 1, 65_536, 65_536));
        assertRefused("lossRate", () -> new MemorySettings(1.5, 0, 1, 65_536, 65_536));
        assertRefused("lossRate", () -> new MemorySettings(Double.NaN, 0, 1, 65_536, 65_536));
        assertRefused("latencyMillis", () -> new MemorySettings(0, -1, 1, 65_536, 65_536));
        assertRefused("maxDatagramSize", () -> new MemorySettings(0, 0, 1, 0, 65_536));
        assertRefused("maxDatagramSize", () -> new MemorySettings(0, 0, 1, 16 * 1024 * 1024 + 1, 65_536));
        assertRefused("streamBufferBytes", () -> new MemorySettings(0, 0, 1, 65_536, 0));
    }

    @Test
    void extremesAreAccepted() {
        new MemorySettings(1.0, 0, Long.MIN_VALUE, 1, 1);
        new MemorySettings(0.0, 60_000, 0, 16 * 1024 * 1024, 1 << 20);
    }

    private static void assertRefused(String setting, Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().contains("'" + setting + "'"), e.getMessage());
    }
}
