package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qdht.api.PeerAddress;

class NetworkGroupsTest {
    private static String group(String address) {
        return NetworkGroups.groupOf(PeerAddress.parse(address));
    }

    @Test
    void ipv4AddressesOfOneSlash24ShareAGroupWhateverThePort() {
        assertEquals(group("udp://203.0.113.5:4000"), group("udp://203.0.113.9:4000"));
        assertEquals(group("udp://203.0.113.5:4000"), group("udp://203.0.113.200:5123"));
        assertEquals(group("udp://203.0.113.5:4000"), group("quic://203.0.113.7:4433"), "the group ignores the transport");
        assertEquals(group("udp://203.0.113.5:4000"), group("udp://203.0.113.5"), "the group ignores a missing port");
        assertEquals("203.0.113.0/24", group("udp://203.0.113.5:4000"));
    }

    @Test
    void ipv4AddressesOfOtherSlash24sAreOtherGroups() {
        assertNotEquals(group("udp://203.0.113.5:4000"), group("udp://203.0.114.5:4000"));
        assertNotEquals(group("udp://203.0.113.5:4000"), group("udp://198.51.100.5:4000"));
        assertNotEquals(group("udp://10.0.0.1:4000"), group("udp://10.1.0.1:4000"));
    }

    @Test
    void ipv6AddressesOfOneSlash48ShareAGroup() {
        assertEquals(group("udp://[2001:db8:1:a::1]:4000"), group("udp://[2001:db8:1:b::2]:4000"));
        assertEquals(group("udp://[2001:db8:1::1]:4000"), group("udp://[2001:db8:1:ffff:ffff:ffff:ffff:ffff]:9"));
        assertEquals(group("udp://[2001:db8:1::1]:4000"), group("udp://[2001:0DB8:0001:0000::1]:4000"),
                "case and leading zeros do not matter");
        assertEquals(group("udp://[2001:db8:1::1]:4000"), group("udp://2001:db8:1::99"), "brackets and port do not matter");
        assertEquals(group("udp://[fe80:1:2::1%eth0]:4000"), group("udp://[fe80:1:2::2]:4000"), "the zone does not matter");
        assertEquals("2001:db8:1::/48", group("udp://[2001:db8:1:a::1]:4000"));
    }

    @Test
    void ipv6AddressesOfOtherSlash48sAreOtherGroups() {
        assertNotEquals(group("udp://[2001:db8:1::1]:4000"), group("udp://[2001:db8:2::1]:4000"));
        assertNotEquals(group("udp://[2001:db8:1::1]:4000"), group("udp://[2001:db9:1::1]:4000"));
        assertNotEquals(group("udp://[2001:db8::1]:4000"), group("udp://[2001:db8:1::1]:4000"));
    }

    @Test
    void compressedZerosAreExpandedWhereverTheyStand() {
        // "::" may stand for a single group: the groups after it can fall into the first 48 bits
        assertEquals(group("udp://[2001:0:1:2:3:4:5:6]:4000"), group("udp://[2001::1:2:3:4:5:6]:4000"));
        assertEquals(group("udp://[0:1:2:3:4:5:6:7]:4000"), group("udp://[::1:2:3:4:5:6:7]:4000"));
        assertNotEquals(group("udp://[2001::1:2:3:4:5:6]:4000"), group("udp://[2001::1]:4000"));
        assertEquals(group("udp://[2001:db8:0:1::]:4000"), group("udp://[2001:db8::]:4000"));
    }

    @Test
    void ipv4MappedIpv6AddressesCountInTheirIpv4Group() {
        assertEquals(group("udp://203.0.113.9:4000"), group("udp://[::ffff:203.0.113.5]:4000"));
        assertEquals(group("udp://203.0.113.9:4000"), group("udp://[0:0:0:0:0:ffff:cb00:7105]:4000"));
        assertNotEquals(group("udp://[::ffff:203.0.113.5]:4000"), group("udp://[::ffff:198.51.100.5]:4000"));
    }

    @Test
    void loopbackIsOneGroupPerPort() {
        assertNotEquals(group("udp://127.0.0.1:4000"), group("udp://127.0.0.1:4001"));
        assertEquals(group("udp://127.0.0.1:4000"), group("udp://127.0.0.1:4000"));
        assertNotEquals(group("udp://127.0.0.1:4000"), group("udp://127.0.0.2:4000"));
        assertNotEquals(group("udp://[::1]:4000"), group("udp://[::1]:4001"));
        assertNotEquals(group("udp://localhost:4000"), group("udp://localhost:4001"));
        assertNotEquals(group("udp://127.0.0.1:4000"), group("udp://127.0.1.1:4000"), "all of 127/8 is loopback");
    }

    @Test
    void otherLocationsAreOneGroupEach() {
        assertNotEquals(group("mem://alpha"), group("mem://beta"));
        assertEquals(group("mem://alpha"), group("mem://alpha"));
        assertNotEquals(group("udp://node1.example.org:4000"), group("udp://node2.example.org:4000"));
    }

    @Test
    void deviceAddressesAreNotMistakenForIpv6() {
        // a BLE device address has colons but is no IP literal: one group per device, not per vendor prefix
        assertNotEquals(group("ble://AA:BB:CC:DD:EE:01"), group("ble://AA:BB:CC:DD:EE:02"));
    }

    @Test
    void aPeerIsGroupedByItsFirstAddress() {
        List<PeerAddress> addresses = List.of(PeerAddress.parse("udp://203.0.113.5:4000"), PeerAddress.parse("udp://[2001:db8:1::1]:4000"));
        assertEquals(group("udp://203.0.113.5:4000"), NetworkGroups.groupOf(addresses));
        assertEquals("", NetworkGroups.groupOf(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "[", "]", "[]", "[]:", "[:]", "[::]", ":::", "::::::::::", "1.2.3.4.5", "1.2.3", "256.1.1.1:80",
            "1..2.3", ".1.2.3", "1.2.3.", "999.999.999.999", "[1.2.3.4]:80", "[::ffff:1.2.3]:4", "[::ffff:1.2.3.4.5]",
            "1:2:3:4:5:6:7:8:9", "1::2::3", "[%]", "[%eth0]:1", "gggg::1", "12345::1", ":", "::ffff:999.1.1.1", "0x7f.1.1.1",
            "[::1", "::1]", "a]b[c", "[[::1]]:80", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "-1.0.0.1", "+1.0.0.1", "%" })
    void garbageNeverThrows(String location) {
        PeerAddress address = PeerAddress.of("udp", location);
        String g = assertDoesNotThrow(() -> NetworkGroups.groupOf(address));
        assertNotNull(g);
        assertEquals(g, NetworkGroups.groupOf(address), "deterministic");
    }

    @Test
    void randomLocationsNeverThrow() {
        Random random = new Random(7);
        String alphabet = "0123456789abcdefABCDEF:.[]%-:::...xg";
        for (int i = 0; i < 50_000; i++) {
            int length = 1 + random.nextInt(40);
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < length; j++) {
                s.append(random.nextInt(4) == 0 ? (char) (0x21 + random.nextInt(94)) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            PeerAddress address = PeerAddress.of("udp", s.toString());
            assertNotNull(assertDoesNotThrow(() -> NetworkGroups.groupOf(address), s::toString));
        }
    }
}
