package org.qdht.api.transport;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.PeerAddress;

/**
 * One transport of one node: sends datagrams and opens streams to addresses of its
 * {@link #scheme()}. Registered per scheme and node with the service properties
 * {@value #SCHEME_PROPERTY} and {@value #NODE_PROPERTY}; inbound traffic goes to the matching
 * {@link DatagramHandler} and {@link StreamHandler} services. Thread safe: every method may be
 * called from any thread at any time, also while the transport is being unregistered.
 */
@ProviderType
public interface Transport {
    /** Service property (String): the scheme this transport serves, e.g. {@code udp}, {@code quic}, {@code ble}. */
    String SCHEME_PROPERTY = "qdht.transport.scheme";
    /** Service property (String): the name of the node this transport serves. */
    String NODE_PROPERTY = "qdht.node.name";

    /** The scheme of every address this transport sends to and listens on; constant for the service's lifetime. */
    String scheme();

    /** The addresses peers can reach this node at through this transport, preferred first; empty until bound. */
    List<PeerAddress> localAddresses();

    /**
     * Largest datagram {@link #send} accepts, in bytes. Either the link MTU minus the transport's
     * own framing (about 1,200 for QUIC datagrams on the open Internet, less for BLE), or, for a
     * transport that fragments and reassembles itself (UDP), its configured message limit; a
     * datagram larger than one packet is then lost whole if any fragment is lost. Larger messages
     * go over a stream or are refused, never truncated.
     */
    int maxDatagramSize();

    /**
     * Sends one datagram, best effort: it may be lost, duplicated or reordered, and success only
     * means the transport took it. Does not block on the network. The array is not kept.
     *
     * @throws TransportException {@code TOO_LARGE} if {@code datagram} is longer than
     *         {@link #maxDatagramSize()}, {@code UNREACHABLE} if the address cannot be used now,
     *         {@code RATE_LIMITED} if the send queue is full, {@code CLOSED} after the transport stopped
     * @throws IllegalArgumentException if {@code to} has another scheme than this transport
     */
    void send(PeerAddress to, byte[] datagram) throws TransportException;

    /** Whether {@link #openStream} can succeed on this transport. */
    boolean supportsStreams();

    /**
     * Opens a reliable, ordered byte stream to {@code to}. Returns at once; the stage completes
     * with the open stream, or exceptionally with a {@link TransportException}: {@code REFUSED}
     * when the peer or this transport does not take streams ({@link #supportsStreams()} false),
     * {@code UNREACHABLE}, {@code RATE_LIMITED} or {@code CLOSED}. The caller owns the stream and closes it.
     *
     * @throws IllegalArgumentException if {@code to} has another scheme than this transport
     */
    CompletionStage<TransportStream> openStream(PeerAddress to);

    /** Counters since the transport started; a consistent snapshot. */
    TransportStats stats();
}
