package org.qdht.kademlia.core;

import java.util.List;

import org.qdht.api.PeerAddress;

/**
 * The network group of an address, for the admission limits against eclipse attacks: an attacker
 * who controls one IPv4 /24 or one IPv6 /48 gets only a few entries per bucket and per table,
 * however many NodeIds it mints.
 *
 * <p>Loopback addresses form one group per port, so a local testnet of many nodes on one machine
 * is not limited (whoever runs code on this machine already owns it). Addresses that are not IP
 * literals (in-memory transports, simulated addresses) form one group per location. Stateless.
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
            return v4[0] + "." + v4[1] + "." + v4[2] + ".0/24";
        }
        if (host.indexOf(':') >= 0) {
            return ipv6Prefix48(host);
        }
        return location;
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
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            out[i] = Integer.parseInt(parts[i]);
            if (out[i] > 255) {
                return null;
            }
        }
        return out;
    }

    /** The first three 16-bit groups of an IPv6 literal, expanding "::" where it hides them. */
    private static String ipv6Prefix48(String host) {
        String lower = host.toLowerCase(java.util.Locale.ROOT);
        int zone = lower.indexOf('%');
        if (zone >= 0) {
            lower = lower.substring(0, zone);
        }
        String[] groups = new String[3];
        int gap = lower.indexOf("::");
        String head = gap >= 0 ? lower.substring(0, gap) : lower;
        String[] headGroups = head.isEmpty() ? new String[0] : head.split(":");
        for (int i = 0; i < 3; i++) {
            groups[i] = i < headGroups.length ? trimZeros(headGroups[i]) : "0";
        }
        return groups[0] + ":" + groups[1] + ":" + groups[2] + "::/48";
    }

    private static String trimZeros(String group) {
        String trimmed = group.replaceFirst("^0+(?=.)", "");
        return trimmed.isEmpty() ? "0" : trimmed;
    }
}
