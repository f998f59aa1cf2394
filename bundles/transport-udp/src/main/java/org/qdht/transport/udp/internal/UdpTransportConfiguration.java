package org.qdht.transport.udp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings shared by the UDP transports of every node in the framework (PID {@code org.qdht.transport.udp}). */
@ObjectClassDefinition(name = "qDHT UDP transport", description = "One UDP socket per node, on the node's listen "
        + "port plus an offset. Datagrams larger than one packet are fragmented and reassembled within the limits below. "
        + "A change rebinds every socket.")
@interface UdpTransportConfiguration {

    @AttributeDefinition(name = "Nodes", description = "Names of the nodes this transport serves; empty serves "
            + "every node of the framework. Chooses per node which transports it listens on.", required = false)
    String[] nodes() default {};

    @AttributeDefinition(name = "Bind address", description = "IP address the sockets bind to: 0.0.0.0 for every "
            + "IPv4 interface, :: for IPv4 and IPv6, or one interface's address.")
    String bindAddress() default "0.0.0.0";

    @AttributeDefinition(name = "Port offset", description = "Added to each node's listen port, so that UDP and "
            + "another UDP-based transport (QUIC) can share one configured port number. Not applied to port 0.",
            min = "-65535", max = "65535")
    int portOffset() default 0;

    @AttributeDefinition(name = "MTU", description = "Largest payload of one UDP packet in bytes, without the "
            + "9-byte fragment header. 1200 passes almost every Internet path unfragmented. Use the same value on every node.",
            min = "64", max = "65498")
    int mtu() default 1200;

    @AttributeDefinition(name = "Largest message", description = "Largest datagram send() accepts and the receiver "
            + "reassembles, in bytes; larger ones are split into packets of at most MTU bytes.", min = "1")
    int maxMessageSize() default 262_144;

    @AttributeDefinition(name = "Partial messages per peer", description = "Messages one source address may have "
            + "half received at once; a new one beyond that evicts that source's oldest.", min = "1")
    int maxPartialMessagesPerPeer() default 32;

    @AttributeDefinition(name = "Reassembly memory", description = "Bytes all half-received messages of one node "
            + "may hold together (with a fixed overhead per message and fragment); fragments beyond it are dropped.",
            min = "1")
    int maxReassemblyBytes() default 16 * 1024 * 1024;

    @AttributeDefinition(name = "Reassembly timeout", description = "Milliseconds after its first fragment that an "
            + "incomplete message is dropped.", min = "1")
    int reassemblyTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Receive buffer", description = "SO_RCVBUF requested for each socket, in bytes, so "
            + "a burst of fragments is not dropped before the receive thread reads it. The system may grant less "
            + "(Linux: net.core.rmem_max); the transport then logs a warning. 0 keeps the system default.", min = "0")
    int receiveBufferBytes() default 4 * 1024 * 1024;
}
