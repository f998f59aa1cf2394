package org.qdht.transport.udp.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import org.qdht.api.PeerAddress;
import org.qdht.api.transport.TransportException;

/** UDP peer addresses: {@code udp://host:port} for IPv4 and host names, {@code udp://[v6]:port} for IPv6. */
final class UdpAddresses {
    static final String SCHEME = "udp";

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z_.-]+)?");

    private UdpAddresses() {
    }

    /** A dotted IPv4 address or an IPv6 address without brackets: parsing it never asks DNS. */
    static boolean isIpLiteral(String text) {
        return IPV4.matcher(text).matches() || IPV6.matcher(text).matches();
    }

    static PeerAddress toPeer(InetSocketAddress socketAddress) {
        InetAddress ip = socketAddress.getAddress();
        String host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return PeerAddress.of(SCHEME, host + ":" + socketAddress.getPort());
    }

    /**
     * The socket address of a peer. IP literals are parsed; a host name is resolved, which may
     * wait for DNS.
     *
     * @throws TransportException {@code UNREACHABLE} for a location that is not host:port or [v6]:port,
     *         or a host name that does not resolve
     */
    static InetSocketAddress resolve(PeerAddress peer) throws TransportException {
        String location = peer.location();
        String host;
        String port;
        if (location.startsWith("[")) {
            int close = location.indexOf("]:");
            if (close < 0) {
                throw unreachable(peer, "an IPv6 location is written [address]:port");
            }
            host = location.substring(1, close);
            port = location.substring(close + 2);
            if (!IPV6.matcher(host).matches()) {
                throw unreachable(peer, "'" + host + "' is not an IPv6 address");
            }
        } else {
            int colon = location.lastIndexOf(':');
            if (colon <= 0 || location.indexOf(':') != colon) {
                throw unreachable(peer, "the location must be host:port, or [address]:port for IPv6");
            }
            host = location.substring(0, colon);
            port = location.substring(colon + 1);
        }
        int portNumber = parsePort(peer, port);
        try {
            return new InetSocketAddress(InetAddress.getByName(host), portNumber);
        } catch (UnknownHostException e) {
            throw new TransportException(TransportException.Reason.UNREACHABLE,
                    "cannot resolve the host of " + peer + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where peers reach a socket bound to {@code bound}: that address, or for a wildcard the
     * addresses of every interface that is up (of the socket's family; IPv6 link-local addresses
     * left out, they need a scope), other interfaces first and 127.0.0.1 last.
     */
    static List<PeerAddress> localAddresses(InetAddress bound, int port) {
        if (!bound.isAnyLocalAddress()) {
            return List.of(toPeer(new InetSocketAddress(bound, port)));
        }
        boolean ipv4Only = bound instanceof Inet4Address;
        List<PeerAddress> addresses = new ArrayList<>();
        for (InetAddress ip : interfaceAddresses()) {
            boolean usable = ip instanceof Inet4Address || !ipv4Only && !ip.isLinkLocalAddress();
            if (usable && !ip.isLoopbackAddress()) {
                addresses.add(toPeer(new InetSocketAddress(ip, port)));
            }
        }
        addresses.add(PeerAddress.of(SCHEME, "127.0.0.1:" + port));
        return addresses;
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    addresses.addAll(Collections.list(nic.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            // no interface list: the loopback address is still right for local peers
        }
        return addresses;
    }

    private static int parsePort(PeerAddress peer, String port) throws TransportException {
        if (!port.matches("\\d{1,5}")) {
            throw unreachable(peer, "'" + port + "' is not a port number");
        }
        int n = Integer.parseInt(port);
        if (n < 1 || n > 65_535) {
            throw unreachable(peer, "port " + n + " is outside 1-65535");
        }
        return n;
    }

    private static TransportException unreachable(PeerAddress peer, String why) {
        return new TransportException(TransportException.Reason.UNREACHABLE, "cannot send to " + peer + ": " + why);
    }
}
