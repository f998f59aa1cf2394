package org.qdht.transport.quic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuicLocationTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:4101, 127.0.0.1:4101",
        "192.0.2.255:1, 192.0.2.255:1",
        "[::1]:4101, [::1]:4101",
        "[2001:DB8:0:0:0:0:0:7]:65535, [2001:db8::7]:65535",
        "[2001:db8:0:0:1:0:0:1]:80, [2001:db8::1:0:0:1]:80",
        "[::]:9, [::]:9",
        "[fe80::]:9, [fe80::]:9",
        "[1:2:3:4:5:6:7:8]:9, [1:2:3:4:5:6:7:8]:9",
        "[::ffff:192.0.2.1]:9, 192.0.2.1:9",
        "[64:ff9b::192.0.2.1]:9, [64:ff9b::c000:201]:9",
    })
    void parsesIpLiteralsAndFormatsThemCanonically(String location, String canonical) {
        InetSocketAddress parsed = QuicLocation.parse(location);
        assertEquals(canonical, QuicLocation.format(parsed));
        assertEquals(parsed, QuicLocation.parse(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:+80",
        "localhost:4101", "example.org:4101", "256.1.1.1:80", "1.2.3:80", "01.2.3.4:80", "1.2.3.4.5:80",
        "::1:4101", "[::1]", "[::1]4101", "[::1:4101", "[1::2::3]:80", "[1:2:3:4:5:6:7:8:9]:80",
        "[1:2:3:4:5:6:7::8]:80", "[fe80::1%eth0]:80", "[12345::]:80", "[:1]:80", "[1.2.3.4::]:80",
        "[::1.2.3]:80", "１.2.3.4:80", "[::٣]:80"})
    void refusesAnythingButAnIpLiteralWithAPort(String location) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuicLocation.parse(location));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "127.0.0.1", "2001:db8::1"})
    void parsesBindAddresses(String host) {
        QuicLocation.parseHost(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "any", "localhost", "0.0.0.0:1"})
    void refusesBindAddressesThatAreNotLiterals(String host) {
        assertThrows(IllegalArgumentException.class, () -> QuicLocation.parseHost(host));
    }

    @org.junit.jupiter.api.Test
    void mappedIpv6BecomesIpv4() {
        assertTrue(QuicLocation.parse("[::ffff:10.0.0.1]:5").getAddress() instanceof Inet4Address);
    }
}
