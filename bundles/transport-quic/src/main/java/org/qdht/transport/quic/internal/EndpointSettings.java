package org.qdht.transport.quic.internal;

import java.net.InetAddress;
import java.time.Duration;

/**
 * The validated {@link QuicTransportConfiguration}: every check names the setting, so an operator
 * can fix a bad configuration from the log message alone.
 */
record EndpointSettings(InetAddress bindAddress, int portOffset, int maxConnections, Duration idleTimeout,
        Duration keepAlive, Duration connectTimeout) {

    /** A setting is out of range; the message names it. */
    static final class InvalidSettingException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSettingException(String message) {
            super(message);
        }
    }

    /** The defaults of {@link QuicTransportConfiguration}, bound to the loopback interface (tests). */
    static EndpointSettings loopback() {
        return new EndpointSettings(InetAddress.getLoopbackAddress(), 1, 256, Duration.ofSeconds(30),
                Duration.ofSeconds(15), Duration.ofSeconds(10));
    }

    static EndpointSettings from(QuicTransportConfiguration c) throws InvalidSettingException {
        InetAddress bind;
        try {
            bind = QuicLocation.parseHost(c.bindAddress() == null ? "" : c.bindAddress().trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("QUIC transport setting 'bindAddress' must be an IP address such as 0.0.0.0, "
                    + ":: or 192.168.1.20 (host names are not resolved): " + e.getMessage());
        }
        check(c.portOffset() >= 0 && c.portOffset() <= 65534, "portOffset", "must be 0-65534", c.portOffset());
        check(c.maxConnections() >= 1 && c.maxConnections() <= 65535, "maxConnections", "must be 1-65535", c.maxConnections());
        check(c.idleTimeoutSeconds() >= 1 && c.idleTimeoutSeconds() <= 3600, "idleTimeoutSeconds", "must be 1-3600",
                c.idleTimeoutSeconds());
        check(c.keepAliveSeconds() >= 0 && (c.keepAliveSeconds() == 0 || c.keepAliveSeconds() < c.idleTimeoutSeconds()),
                "keepAliveSeconds", "must be 0 (off) or less than idleTimeoutSeconds (" + c.idleTimeoutSeconds() + ")",
                c.keepAliveSeconds());
        check(c.connectTimeoutSeconds() >= 1 && c.connectTimeoutSeconds() <= 120, "connectTimeoutSeconds", "must be 1-120",
                c.connectTimeoutSeconds());
        return new EndpointSettings(bind, c.portOffset(), c.maxConnections(), Duration.ofSeconds(c.idleTimeoutSeconds()),
                Duration.ofSeconds(c.keepAliveSeconds()), Duration.ofSeconds(c.connectTimeoutSeconds()));
    }

    /** Same settings with other timings (tests shorten them). */
    EndpointSettings withTimings(Duration idle, Duration keepAlive, Duration connect) {
        return new EndpointSettings(bindAddress, portOffset, maxConnections, idle, keepAlive, connect);
    }

    EndpointSettings withMaxConnections(int max) {
        return new EndpointSettings(bindAddress, portOffset, max, idleTimeout, keepAlive, connectTimeout);
    }

    /**
     * The UDP port for a node listening on {@code listenPort}: the offset added, or 0 (ephemeral) for
     * listen port 0.
     *
     * @throws InvalidSettingException when the sum leaves the port range
     */
    int portFor(String node, int listenPort) throws InvalidSettingException {
        if (listenPort == 0) {
            return 0;
        }
        int port = listenPort + portOffset;
        if (listenPort < 0 || port > 65535) {
            throw new InvalidSettingException("node '" + node + "' listens on port " + listenPort + "; with QUIC setting "
                    + "'portOffset' " + portOffset + " that is beyond 65535: lower the node's listenPort or the offset");
        }
        return port;
    }

    private static void check(boolean ok, String setting, String rule, int value) throws InvalidSettingException {
        if (!ok) {
            throw new InvalidSettingException("QUIC transport setting '" + setting + "' " + rule + ", got " + value);
        }
    }
}
