package org.qdht.kademlia.core;

import java.util.ArrayList;
import java.util.List;

import org.qdht.api.PeerAddress;

/**
 * The network group of an address, for the admission limits against eclipse attacks: an attacker
 * who controls one IPv4 /24 or one IPv6 /48 gets only a few entries per bucket and per table,
 * however many NodeIds it mints.
 *
 * <p>Loopback addresses form one group per port, so a local testnet of many nodes on one machine
 * is not limited (whoever runs code on this machine already owns it). An IPv4-mapped IPv6 address
 * counts in the group of its IPv4 address. Addresses that are not IP literals (host names, device
 * addresses, in-memory transports, simulated addresses) form one group per location. Stateless.
 */
public final class NetworkGroups {
    private NetworkGroups() {
    }

    /** The group of a peer: the group of its first (preferred) address. */
    public static String groupOf(List<PeerAddress> addresses) {
        return addresses.isEmpty() ? "" : groupOf(addresses.get(0));
    }

    public static String groupOf(PeerAddress address) {
        String location = address.location();
        String host = hostOf(location);
        if (host.startsWith("127.") || host.equals("::1") || host.equals("localhost")) {
            return location;
        }
        int[] v4 = parseIpv4(host);
        if (v4 != null) {
            return ipv4Group(v4);
        }
        int[] v6 = parseIpv6(host);
        if (v6 == null) {
            return location; // not an IP literal (a host name, a device address): one group per location
        }
        if (v6[0] == 0 && v6[1] == 0 && v6[2] == 0 && v6[3] == 0 && v6[4] == 0) {
            if (v6[5] == 0 && v6[6] == 0 && v6[7] == 1) {
                return location; // ::1 written out in full
            }
            if (v6[5] == 0xFFFF) {
                // an IPv4-mapped address reaches the same host as the IPv4 address: same group
                int[] mapped = { v6[6] >>> 8, v6[6] & 0xFF, v6[7] >>> 8, v6[7] & 0xFF };
                return mapped[0] == 127 ? location : ipv4Group(mapped);
            }
        }
        return Integer.toHexString(v6[0]) + ":" + Integer.toHexString(v6[1]) + ":" + Integer.toHexString(v6[2]) + "::/48";
    }

    private static String ipv4Group(int[] v4) {
        return v4[0] + "." + v4[1] + "." + v4[2] + ".0/24";
    }

    private static String hostOf(String location) {
        if (location.startsWith("[")) {
            int end = location.indexOf(']');
            return end > 0 ? location.substring(1, end) : location;
        }
        int colon = location.lastIndexOf(':');
        return colon > 0 && location.indexOf(':') == colon ? location.substring(0, colon) : location;
    }

    private static int[] parseIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            out[i] = Integer.parseInt(parts[i]);
            if (out[i] > 255) {
                return null;
            }
        }
        return out;
    }

    /**
     * The eight 16-bit groups of an IPv6 literal (RFC 4291 text forms: "::" at most once, a dotted
     * IPv4 tail, a zone after '%'), or null if {@code host} is not one. The groups "::" stands for
     * may lie anywhere, in the first 48 bits too.
     */
    private static int[] parseIpv6(String host) {
        int zone = host.indexOf('%');
        String s = zone >= 0 ? host.substring(0, zone) : host;
        if (s.indexOf(':') < 0) {
            return null;
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head = groups(gap >= 0 ? s.substring(0, gap) : s);
        List<Integer> tail = gap >= 0 ? groups(s.substring(gap + 2)) : List.of();
        if (head == null || tail == null) {
            return null;
        }
        int given = head.size() + tail.size();
        if (gap >= 0 ? given > 7 : given != 8) {
            return null;
        }
        int[] out = new int[8];
        for (int i = 0; i < head.size(); i++) {
            out[i] = head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            out[8 - tail.size() + i] = tail.get(i);
        }
        return out;
    }

    /** Hex groups separated by single colons, the last one possibly a dotted IPv4 address (two groups). */
    private static List<Integer> groups(String part) {
        List<Integer> out = new ArrayList<>(8);
        if (part.isEmpty()) {
            return out;
        }
        String[] pieces = part.split(":", -1);
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (i == pieces.length - 1 && piece.indexOf('.') >= 0) {
                int[] v4 = parseIpv4(piece);
                if (v4 == null) {
                    return null;
                }
                out.add(v4[0] << 8 | v4[1]);
                out.add(v4[2] << 8 | v4[3]);
                continue;
            }
            if (piece.isEmpty() || piece.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < piece.length(); j++) {
                char c = piece.charAt(j);
                int digit = c < 128 ? Character.digit(c, 16) : -1;
                if (digit < 0) {
                    return null;
                }
                value = value * 16 + digit;
            }
            out.add(value);
        }
        return out.size() > 8 ? null : out;
    }
}
