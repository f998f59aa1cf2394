package org.qdht.onion.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.qdht.api.PeerAddress;

class NetworkGroupTest {
    private static String group(String address) {
        return NetworkGroup.of(PeerAddress.parse(address));
    }

    @Test
    void ipv4GroupsBySlash16() {
        assertEquals(group("udp://203.0.113.7:4000"), group("quic://203.0.200.9:4001"));
        assertNotEquals(group("udp://203.0.113.7:4000"), group("udp://203.1.113.7:4000"));
    }

    @Test
    void ipv6GroupsBySlash32() {
        assertEquals(group("udp://[2001:db8:1::1]:4000"), group("udp://[2001:db8:ffff::2]:4000"));
        assertNotEquals(group("udp://[2001:db8::1]:4000"), group("udp://[2001:db9::1]:4000"));
    }

    @Test
    void loopbackCountsPerPortAndNamesByName() {
        assertNotEquals(group("udp://127.0.0.1:4000"), group("udp://127.0.0.1:4002"));
        assertEquals("name:relay.example", group("udp://relay.example:4000"));
    }
}
