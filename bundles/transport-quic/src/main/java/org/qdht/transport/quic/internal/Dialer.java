package org.qdht.transport.quic.internal;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;

import tech.kwik.core.QuicClientConnection;

/**
 * Builds the Kwik client connection for an outbound {@link PeerConnection}, with this transport's
 * settings: ALPN {@value QuicEndpoint#ALPN}, the datagram extension, the stream limits and windows
 * both sides use, and no server certificate check (TLS is only QUIC's envelope; see
 * {@link SelfSignedCertificate}). The caller wires the callbacks and connects.
 */
final class Dialer {
    /**
     * Kwik prints a warning to standard output for every client connection that skips the server
     * certificate check. Skipping it is this transport's design, so the warning is turned off
     * unless the operator set the property.
     */
    static final String KWIK_SECURITY_WARNINGS_OFF = "tech.kwik.core.no-security-warnings";

    private final String node;
    private final EndpointSettings settings;
    private final Duration quicIdleTimeout;
    private final EndpointLog log;

    Dialer(String node, EndpointSettings settings, Duration quicIdleTimeout, EndpointLog log) {
        this.node = node;
        this.settings = settings;
        this.quicIdleTimeout = quicIdleTimeout;
        this.log = log;
    }

    /** A client connection to {@code c}'s address, not connected yet. */
    QuicClientConnection prepare(PeerConnection c) throws SocketException, UnknownHostException {
        System.getProperties().putIfAbsent(KWIK_SECURITY_WARNINGS_OFF, "true");
        InetSocketAddress target = c.socketAddress();
        return QuicClientConnection.newBuilder()
                .host(target.getAddress().getHostAddress()) // an IP literal: Kwik's lookup resolves nothing
                .port(target.getPort())
                .applicationProtocol(QuicEndpoint.ALPN)
                .connectTimeout(settings.connectTimeout())
                .maxIdleTimeout(quicIdleTimeout)
                .defaultStreamReceiveBufferSize((long) QuicEndpoint.STREAM_WINDOW)
                .maxOpenPeerInitiatedBidirectionalStreams(PeerConnection.MAX_STREAMS)
                .maxOpenPeerInitiatedUnidirectionalStreams(0)
                .enableDatagramExtension()
                .noServerCertificateCheck()
                // client connections leave from the bind address too, on an ephemeral port
                .socketFactory(destination -> new GuardedDatagramSocket(new InetSocketAddress(settings.bindAddress(), 0), log))
                .logger(new KwikLogForwarder(log, "[" + node + " -> " + c.remote() + "] "))
                .build();
    }
}
