package org.qdht.onion.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.qdht.api.PeerAddress;

/**
 * The network an address belongs to, for choosing relays in different networks: one operator or
 * one Sybil farm usually holds addresses of one /16. IPv4 /16 and IPv6 /32; a loopback address
 * counts per port, so that a local testnet on 127.0.0.1 can build circuits (on the open network
 * no relay announces loopback).
 */
final class NetworkGroup {
    private NetworkGroup() {
    }

    static String of(PeerAddress address) {
        String location = address.location();
        int colon = location.lastIndexOf(':');
        String host = colon > 0 ? location.substring(0, colon) : location;
        String port = colon > 0 ? location.substring(colon + 1) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!isLiteral(host)) {
            return "name:" + host; // a host name: group by the name itself
        }
        try {
            InetAddress ip = InetAddress.getByName(host); // a literal: no lookup happens
            byte[] b = ip.getAddress();
            if (ip.isLoopbackAddress()) {
                return "loopback:" + port;
            }
            if (b.length == 4) {
                return "v4:" + (b[0] & 0xff) + "." + (b[1] & 0xff);
            }
            return String.format("v6:%02x%02x:%02x%02x", b[0], b[1], b[2], b[3]);
        } catch (UnknownHostException e) {
            return "name:" + host;
        }
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }
}
