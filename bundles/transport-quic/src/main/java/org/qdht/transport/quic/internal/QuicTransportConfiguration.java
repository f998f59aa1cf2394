package org.qdht.transport.quic.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Settings of the QUIC transport, shared by every node in the framework (singleton PID
 * {@value QuicTransportComponent#PID}; the configuration is optional). The defaults suit phones on
 * mobile networks: short idle timeout, keep-alives well inside common NAT binding lifetimes, and a
 * connect timeout that survives a slow radio wake-up.
 */
@ObjectClassDefinition(name = "qDHT QUIC transport",
        description = "QUIC (RFC 9000) with the datagram extension (RFC 9221) for every qDHT node in this framework. "
                + "TLS is only the envelope: peers are authenticated by qDHT's own post-quantum handshake.")
public @interface QuicTransportConfiguration {

    @AttributeDefinition(name = "Nodes", description = "Names of the nodes this transport serves; empty serves "
            + "every node of the framework. Chooses per node which transports it listens on.", required = false)
    String[] nodes() default {};

    @AttributeDefinition(name = "Bind address", description = "IP address the endpoints listen on. 0.0.0.0 is every "
            + "IPv4 interface, :: every interface (IPv4 and IPv6); an address pins one interface.")
    String bindAddress() default "0.0.0.0";

    @AttributeDefinition(name = "Port offset", description = "Added to the node's listen port: the UDP transport uses "
            + "the listen port itself, so QUIC takes the next one. A node with listen port 0 gets an ephemeral port.",
            min = "0", max = "65534")
    int portOffset() default 1;

    @AttributeDefinition(name = "Maximum connections", description = "Connections per node, inbound and outbound. At the "
            + "limit the least recently used connection without open streams is closed; if every one has streams, "
            + "new connections are refused (RATE_LIMITED). About 6 Kwik threads and 1 MiB of buffer each.",
            min = "1", max = "65535")
    int maxConnections() default 256;

    @AttributeDefinition(name = "Idle timeout (s)", description = "A connection with no open stream and no traffic for "
            + "this long is closed; the next message to the peer opens a new one.", min = "1", max = "3600")
    int idleTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Keep-alive (s)", description = "While a connection this node opened is in use, send an "
            + "empty datagram after this long without sending, so that NAT and firewall bindings on mobile networks "
            + "stay open. 0 turns keep-alives off. Must be less than the idle timeout.", min = "0", max = "3599")
    int keepAliveSeconds() default 15;

    @AttributeDefinition(name = "Connect timeout (s)", description = "How long a QUIC handshake may take before the "
            + "peer counts as unreachable (then new connections to it fail fast for a few seconds).", min = "1", max = "120")
    int connectTimeoutSeconds() default 10;
}
