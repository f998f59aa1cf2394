package org.qdht.transport.quic.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The location part of a {@code quic://} address: {@code 192.0.2.7:4101} or {@code [2001:db8::7]:4101}.
 * Only IP literals are accepted: resolving host names would block the caller on DNS and tell a
 * resolver which peers this node talks to. The parser builds the address bytes itself, so no input
 * can ever reach a name lookup. Locations come from other peers: everything else is refused with an
 * {@link IllegalArgumentException} naming the problem.
 */
final class QuicLocation {
    /** Longest text of an IPv6 literal with an embedded IPv4 part, without brackets. */
    private static final int MAX_IPV6_TEXT = 45;

    private QuicLocation() {
    }

    /** Parses {@code host:port} or {@code [v6]:port}; port 1-65535. */
    static InetSocketAddress parse(String location) {
        if (location == null || location.isEmpty() || location.length() > 64) {
            throw new IllegalArgumentException("a QUIC location is ip:port or [ipv6]:port, got '" + location + "'");
        }
        String host;
        String port;
        if (location.charAt(0) == '[') {
            int close = location.indexOf(']');
            if (close < 0 || close + 1 >= location.length() || location.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("an IPv6 location needs the form [address]:port, got '" + location + "'");
            }
            host = location.substring(1, close);
            port = location.substring(close + 2);
            return new InetSocketAddress(address(parseIpv6(host)), parsePort(port));
        }
        int colon = location.indexOf(':');
        if (colon < 0 || colon != location.lastIndexOf(':')) {
            throw new IllegalArgumentException("a QUIC location is ip:port, or [ipv6]:port for IPv6, got '" + location + "'");
        }
        host = location.substring(0, colon);
        port = location.substring(colon + 1);
        return new InetSocketAddress(address(parseIpv4(host)), parsePort(port));
    }

    /** Parses an IP literal without port (for the bind address setting); IPv6 with or without brackets. */
    static InetAddress parseHost(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("an IP address is required");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return address(parseIpv6(host.substring(1, host.length() - 1)));
        }
        return address(host.indexOf(':') >= 0 ? parseIpv6(host) : parseIpv4(host));
    }

    /** The canonical text: dotted quad, or bracketed lower-case IPv6 with the longest zero run compressed (RFC 5952). */
    static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        if (ip instanceof Inet4Address) {
            return ip.getHostAddress() + ":" + address.getPort();
        }
        return "[" + formatIpv6(ip.getAddress()) + "]:" + address.getPort();
    }

    static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port must be a number 1-65535, got '" + text + "'");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        return port;
    }

    static byte[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address (host names are not accepted): '" + text + "'");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            int value = Integer.parseInt(p);
            if (value > 255) {
                throw new IllegalArgumentException("IPv4 part out of range in '" + text + "'");
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    static byte[] parseIpv6(String text) {
        if (text.isEmpty() || text.length() > MAX_IPV6_TEXT) {
            throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw new IllegalArgumentException("an IPv6 address has at most one '::': '" + text + "'");
        }
        byte[] bytes = new byte[16];
        if (gap < 0) {
            if (groupsInto(text, bytes, 0, true) != 16) {
                throw new IllegalArgumentException("an IPv6 address without '::' needs eight groups: '" + text + "'");
            }
            return bytes;
        }
        String head = text.substring(0, gap);
        String tail = text.substring(gap + 2);
        byte[] tailBytes = new byte[16];
        int headLength = head.isEmpty() ? 0 : groupsInto(head, bytes, 0, false);
        int tailLength = tail.isEmpty() ? 0 : groupsInto(tail, tailBytes, 0, true);
        if (headLength + tailLength > 14) {
            throw new IllegalArgumentException("'::' must stand for at least one zero group: '" + text + "'");
        }
        System.arraycopy(tailBytes, 0, bytes, 16 - tailLength, tailLength);
        return bytes;
    }

    /** Writes the colon-separated groups of {@code text} from {@code offset}; returns the bytes written. */
    private static int groupsInto(String text, byte[] out, int offset, boolean ipv4Allowed) {
        String[] groups = text.split(":", -1);
        int at = offset;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (ipv4Allowed && i == groups.length - 1 && g.indexOf('.') >= 0) {
                if (at + 4 > out.length) {
                    throw new IllegalArgumentException("IPv6 address too long: '" + text + "'");
                }
                System.arraycopy(parseIpv4(g), 0, out, at, 4);
                at += 4;
                continue;
            }
            if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
                throw new IllegalArgumentException("bad IPv6 group '" + g + "' in '" + text + "'");
            }
            if (at + 2 > out.length) {
                throw new IllegalArgumentException("IPv6 address too long: '" + text + "'");
            }
            int value = Integer.parseInt(g, 16);
            out[at++] = (byte) (value >>> 8);
            out[at++] = (byte) value;
        }
        return at - offset;
    }

    private static String formatIpv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first one on a tie
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }

    private static InetAddress address(byte[] bytes) {
        try {
            // getByAddress never looks a name up; an IPv4-mapped IPv6 address comes back as IPv4
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalArgumentException("bad address length " + bytes.length, impossible);
        }
    }
}
