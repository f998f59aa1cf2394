package org.qdht.transport.udp.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The validated {@link UdpTransportConfiguration}. The constructor refuses a bad value with a
 * message that names the setting, so the component fails to activate with an error an operator can act on.
 */
record UdpSettings(InetAddress bindAddress, int portOffset, int mtu, int maxMessageSize, int maxPartialMessagesPerPeer,
        int maxReassemblyBytes, int reassemblyTimeoutMillis, int receiveBufferBytes) {

    /** IPv4 limit: 65,535 minus the 20-byte IP and 8-byte UDP headers. */
    static final int MAX_UDP_PAYLOAD = 65_507;
    static final int MIN_MTU = 64;
    static final int MAX_MTU = MAX_UDP_PAYLOAD - FragmentCodec.HEADER_SIZE;

    UdpSettings {
        if (bindAddress == null) {
            throw new IllegalArgumentException("UDP setting 'bindAddress' is missing");
        }
        if (portOffset < -65_535 || portOffset > 65_535) {
            throw invalid("portOffset", portOffset, "-65535 to 65535");
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw invalid("mtu", mtu, MIN_MTU + " to " + MAX_MTU);
        }
        if (maxMessageSize < 1 || FragmentCodec.fragmentsFor(maxMessageSize, mtu) > FragmentCodec.MAX_FRAGMENT_COUNT) {
            throw invalid("maxMessageSize", maxMessageSize, "1 to " + FragmentCodec.MAX_FRAGMENT_COUNT + " x mtu");
        }
        if (maxPartialMessagesPerPeer < 1) {
            throw invalid("maxPartialMessagesPerPeer", maxPartialMessagesPerPeer, "at least 1");
        }
        long oneMessage = Reassembler.bytesCharged(maxMessageSize, FragmentCodec.fragmentsFor(maxMessageSize, mtu));
        if (maxReassemblyBytes < oneMessage) {
            throw invalid("maxReassemblyBytes", maxReassemblyBytes,
                    "at least " + oneMessage + " so that one message of maxMessageSize bytes fits");
        }
        if (reassemblyTimeoutMillis < 1) {
            throw invalid("reassemblyTimeoutMillis", reassemblyTimeoutMillis, "at least 1");
        }
        if (receiveBufferBytes < 0) {
            throw invalid("receiveBufferBytes", receiveBufferBytes, "0 (system default) or more");
        }
    }

    /** The configuration's default values with another bind address (tests bind to the loopback address). */
    static UdpSettings defaultsOn(InetAddress address) {
        return new UdpSettings(address, 0, 1200, 262_144, 32, 16 * 1024 * 1024, 5000, 4 * 1024 * 1024);
    }

    static UdpSettings from(UdpTransportConfiguration c) {
        return new UdpSettings(bindAddress(c.bindAddress()), c.portOffset(), c.mtu(), c.maxMessageSize(),
                c.maxPartialMessagesPerPeer(), c.maxReassemblyBytes(), c.reassemblyTimeoutMillis(), c.receiveBufferBytes());
    }

    /** Most fragments one message may have. */
    int maxFragments() {
        return FragmentCodec.fragmentsFor(maxMessageSize, mtu);
    }

    /**
     * The port a node's socket binds: its listen port plus the offset, or 0 (any free port) for
     * listen port 0.
     *
     * @throws IllegalArgumentException if the sum is not a port number
     */
    int portFor(int listenPort) {
        if (listenPort == 0) {
            return 0;
        }
        int port = listenPort + portOffset;
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("listen port " + listenPort + " + portOffset " + portOffset + " = "
                    + port + " is not a port number (1-65535)");
        }
        return port;
    }

    /** Only IP literals: a host name would make activation wait for DNS. */
    static InetAddress bindAddress(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!UdpAddresses.isIpLiteral(trimmed)) {
            throw new IllegalArgumentException("UDP setting 'bindAddress' must be an IP address such as 0.0.0.0, :: "
                    + "or 192.168.1.10, got '" + text + "'");
        }
        try {
            return InetAddress.getByName(trimmed);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("UDP setting 'bindAddress' is not a valid IP address: '" + text + "'", e);
        }
    }

    private static IllegalArgumentException invalid(String setting, long value, String allowed) {
        return new IllegalArgumentException("UDP setting '" + setting + "' must be " + allowed + ", got " + value);
    }
}
