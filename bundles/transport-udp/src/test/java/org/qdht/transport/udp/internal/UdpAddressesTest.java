package org.qdht.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.qdht.api.PeerAddress;
import org.qdht.api.transport.TransportException;

class UdpAddressesTest {

    @Test
    void ipv4AndIpv6LocationsResolveWithoutDns() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 4100),
                UdpAddresses.resolve(PeerAddress.parse("udp://192.0.2.7:4100")));
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 65_535),
                UdpAddresses.resolve(PeerAddress.parse("udp://[2001:db8::1]:65535")));
    }

    @Test
    void socketAddressesAreWrittenBackInTheSameForm() throws Exception {
        assertEquals("udp://192.0.2.7:4100",
                UdpAddresses.toPeer(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 4100)).toString());
        PeerAddress v6 = UdpAddresses.toPeer(new InetSocketAddress(InetAddress.getByName("::1"), 9));
        assertTrue(v6.location().startsWith("[") && v6.location().endsWith("]:9"), v6.toString());
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 9), UdpAddresses.resolve(v6));
    }

    @Test
    void unparsableLocationsAreUnreachable() {
        for (String location : new String[] {"192.0.2.7", "192.0.2.7:", "192.0.2.7:0", "192.0.2.7:65536", "192.0.2.7:x",
            "2001:db8::1:4100", "[2001:db8::1]", "[2001:db8::1]4100", "[host]:4100", ":4100", "192.0.2.7:123456"}) {
            TransportException e = assertThrows(TransportException.class,
                    () -> UdpAddresses.resolve(PeerAddress.of("udp", location)), location);
            assertEquals(TransportException.Reason.UNREACHABLE, e.reason(), location);
        }
    }

    @Test
    void specificBindAddressIsTheOnlyLocalAddress() throws Exception {
        assertEquals(List.of(PeerAddress.parse("udp://127.0.0.1:4100")),
                UdpAddresses.localAddresses(InetAddress.getByName("127.0.0.1"), 4100));
    }

    @Test
    void wildcardListsInterfacesFirstAndLoopbackLast() throws Exception {
        List<PeerAddress> addresses = UdpAddresses.localAddresses(InetAddress.getByName("0.0.0.0"), 4100);
        assertEquals(PeerAddress.parse("udp://127.0.0.1:4100"), addresses.get(addresses.size() - 1));
        for (PeerAddress a : addresses.subList(0, addresses.size() - 1)) {
            assertFalse(a.location().startsWith("127.") || a.location().startsWith("["), "IPv4 interfaces only: " + a);
            assertTrue(a.location().endsWith(":4100"));
        }
    }

    @Test
    void ipLiteralCheckKeepsHostNamesOut() {
        assertTrue(UdpAddresses.isIpLiteral("0.0.0.0"));
        assertTrue(UdpAddresses.isIpLiteral("::"));
        assertTrue(UdpAddresses.isIpLiteral("fe80::1%eth0"));
        assertFalse(UdpAddresses.isIpLiteral("localhost"));
        assertFalse(UdpAddresses.isIpLiteral("1.2.3"));
    }
}
