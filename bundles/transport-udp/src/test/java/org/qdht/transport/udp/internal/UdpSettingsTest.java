package org.qdht.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class UdpSettingsTest {
    final InetAddress any = UdpSettings.bindAddress("0.0.0.0");

    @Test
    void defaultsAllowMessagesOf219Fragments() {
        UdpSettings s = UdpSettings.defaultsOn(any);
        assertEquals(1200, s.mtu());
        assertEquals(262_144, s.maxMessageSize());
        assertEquals(219, s.maxFragments());
    }

    @Test
    void portIsListenPortPlusOffsetExceptForZero() {
        UdpSettings s = new UdpSettings(any, 10, 1200, 262_144, 32, 16 << 20, 5000, 0);
        assertEquals(4110, s.portFor(4100));
        assertEquals(0, s.portFor(0), "0 stays 'any free port'");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.portFor(65_530));
        assertTrue(e.getMessage().contains("portOffset"), e.getMessage());
    }

    @Test
    void bindAddressMustBeAnIpLiteral() {
        assertTrue(UdpSettings.bindAddress("::").isAnyLocalAddress());
        assertEquals("127.0.0.1", UdpSettings.bindAddress("127.0.0.1").getHostAddress());
        for (String bad : new String[] {"localhost", "", "300.1.1.1", "example.org"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UdpSettings.bindAddress(bad));
            assertTrue(e.getMessage().contains("'bindAddress'"), e.getMessage());
        }
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertRefused("mtu", () -> new UdpSettings(any, 0, 63, 262_144, 32, 16 << 20, 5000, 0));
        assertRefused("mtu", () -> new UdpSettings(any, 0, 65_499, 262_144, 32, 16 << 20, 5000, 0));
        assertRefused("maxMessageSize", () -> new UdpSettings(any, 0, 1200, 0, 32, 16 << 20, 5000, 0));
        assertRefused("maxMessageSize", () -> new UdpSettings(any, 0, 64, 64 * 65_536, 32, Integer.MAX_VALUE, 5000, 0));
        assertRefused("maxPartialMessagesPerPeer", () -> new UdpSettings(any, 0, 1200, 262_144, 0, 16 << 20, 5000, 0));
        assertRefused("maxReassemblyBytes", () -> new UdpSettings(any, 0, 1200, 262_144, 32, 262_144, 5000, 0));
        assertRefused("reassemblyTimeoutMillis", () -> new UdpSettings(any, 0, 1200, 262_144, 32, 16 << 20, 0, 0));
        assertRefused("receiveBufferBytes", () -> new UdpSettings(any, 0, 1200, 262_144, 32, 16 << 20, 5000, -1));
        assertRefused("portOffset", () -> new UdpSettings(any, 70_000, 1200, 262_144, 32, 16 << 20, 5000, 0));
    }

    private static void assertRefused(String setting, org.junit.jupiter.api.function.Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().contains("'" + setting + "'"), e.getMessage());
    }
}
