package org.qdht.transport.quic.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.qdht.api.PeerAddress;

/**
 * The addresses peers can reach a bound endpoint at. A socket bound to one address has that one.
 * A wildcard socket has every address of every interface that is up, non-loopback first (those are
 * the ones other machines can use), loopback last; IPv4 only for 0.0.0.0, IPv4 and IPv6 for ::.
 * Link-local IPv6 addresses are left out: without their interface name they are useless to a peer.
 */
final class LocalAddresses {
    private LocalAddresses() {
    }

    static List<PeerAddress> of(InetSocketAddress bound) {
        InetAddress ip = bound.getAddress();
        if (!ip.isAnyLocalAddress()) {
            return List.of(peer(ip, bound.getPort()));
        }
        boolean withIpv6 = ip instanceof Inet6Address;
        List<PeerAddress> outside = new ArrayList<>();
        List<PeerAddress> loopback = new ArrayList<>();
        for (InetAddress a : interfaceAddresses()) {
            if (a.isLinkLocalAddress() || a.isAnyLocalAddress() || (a instanceof Inet6Address && !withIpv6)) {
                continue;
            }
            (a.isLoopbackAddress() ? loopback : outside).add(peer(a, bound.getPort()));
        }
        // 127.0.0.1 (or ::1) last, IPv4 before IPv6 among the loopbacks
        loopback.sort((x, y) -> Boolean.compare(x.location().startsWith("["), y.location().startsWith("[")));
        outside.addAll(loopback);
        return List.copyOf(outside);
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> all = new ArrayList<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (n.isUp()) {
                    all.addAll(Collections.list(n.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            // no interface list (sandboxed JVM): the loopback address below is still true
        }
        if (all.isEmpty()) {
            all.add(InetAddress.getLoopbackAddress());
        }
        return all;
    }

    /** The location text leaves out any IPv6 scope: it means nothing on the peer's machine. */
    private static PeerAddress peer(InetAddress ip, int port) {
        return PeerAddress.of(HandlerBoard.SCHEME, QuicLocation.format(new InetSocketAddress(ip, port)));
    }
}
