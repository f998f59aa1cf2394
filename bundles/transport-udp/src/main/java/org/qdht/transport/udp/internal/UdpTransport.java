package org.qdht.transport.udp.internal;

import org.qdht.transport.support.TrafficCounters;
import org.qdht.transport.support.HandlerWhiteboard;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.service.log.Logger;
import org.qdht.api.PeerAddress;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;
import org.qdht.api.transport.TransportStats;
import org.qdht.api.transport.TransportStream;

/**
 * The UDP transport of one node: one socket, and one receive thread ({@code qdht-udp-<node>})
 * that decodes and reassembles packets and hands each complete datagram to the node's
 * {@link DatagramHandler}s. {@link #send} fragments on the caller's thread. Datagrams only: streams
 * are refused.
 */
final class UdpTransport implements Transport, AutoCloseable {
    /** Above the largest UDP payload, so that an oversized packet shows its real size instead of being cut. */
    private static final int PACKET_BUFFER_SIZE = 65_536;
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final String nodeName;
    private final UdpSettings settings;
    private final DatagramSocket socket;
    private final HandlerWhiteboard<DatagramHandler> handlers;
    private final Logger log;
    private final FragmentCodec codec;
    private final TrafficCounters counters = new TrafficCounters();
    private final Reassembler reassembler;
    /** Random ids make it hard for an off-path sender to inject a fragment into someone else's message. */
    private final SecureRandom messageIds = new SecureRandom();
    private final Thread receiver;
    private volatile boolean closed;

    private UdpTransport(String nodeName, UdpSettings settings, DatagramSocket socket,
            HandlerWhiteboard<DatagramHandler> handlers, Logger log) {
        this.nodeName = nodeName;
        this.settings = settings;
        this.socket = socket;
        this.handlers = handlers;
        this.log = log;
        this.codec = new FragmentCodec(settings.mtu(), settings.maxMessageSize());
        this.reassembler = Reassembler.of(settings, UdpTransport::nowMillis, counters::reject);
        this.receiver = new Thread(this::receiveLoop, "qdht-udp-" + nodeName);
        this.receiver.setDaemon(true);
    }

    /**
     * Binds a socket on the configured address and {@code port} (0: any free port) and starts
     * receiving.
     *
     * @throws IOException if the socket cannot be bound, for example because the port is taken
     */
    static UdpTransport open(String nodeName, int port, UdpSettings settings, HandlerWhiteboard<DatagramHandler> handlers,
            Logger log) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.setReuseAddress(false); // a second node on the same port must fail, not share the packets
            if (settings.receiveBufferBytes() > 0) {
                socket.setReceiveBufferSize(settings.receiveBufferBytes());
            }
            socket.bind(new InetSocketAddress(settings.bindAddress(), port));
            socket.setSoTimeout(sweepIntervalMillis(settings));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        if (settings.receiveBufferBytes() > 0 && socket.getReceiveBufferSize() < settings.receiveBufferBytes()) {
            log.warn("udp transport of node '{}': asked for a {}-byte receive buffer, got {}; bursts of fragments may "
                    + "be lost (raise net.core.rmem_max)", nodeName, settings.receiveBufferBytes(), socket.getReceiveBufferSize());
        }
        UdpTransport transport = new UdpTransport(nodeName, settings, socket, handlers, log);
        transport.receiver.start();
        return transport;
    }

    @Override
    public String scheme() {
        return UdpAddresses.SCHEME;
    }

    @Override
    public List<PeerAddress> localAddresses() {
        if (closed) {
            return List.of();
        }
        return UdpAddresses.localAddresses(settings.bindAddress(), socket.getLocalPort());
    }

    @Override
    public int maxDatagramSize() {
        return settings.maxMessageSize();
    }

    @Override
    public void send(PeerAddress to, byte[] datagram) throws TransportException {
        requireUdp(to);
        if (closed) {
            throw new TransportException(Reason.CLOSED, this + " is closed");
        }
        if (datagram.length > settings.maxMessageSize()) {
            counters.reject(MalformedPacketException.TOO_LARGE);
            throw new TransportException(Reason.TOO_LARGE, "datagram of " + datagram.length
                    + " bytes is above the udp limit of " + settings.maxMessageSize() + " (setting maxMessageSize)");
        }
        InetSocketAddress target = UdpAddresses.resolve(to);
        try {
            for (byte[] packet : codec.encode(messageIds.nextInt(), datagram)) {
                socket.send(new DatagramPacket(packet, packet.length, target));
            }
        } catch (IOException e) {
            if (closed) {
                throw new TransportException(Reason.CLOSED, this + " is closed", e);
            }
            throw new TransportException(Reason.UNREACHABLE, "cannot send to " + to + ": " + e.getMessage(), e);
        }
        counters.datagramSent(datagram.length);
    }

    @Override
    public boolean supportsStreams() {
        return false;
    }

    @Override
    public CompletionStage<TransportStream> openStream(PeerAddress to) {
        requireUdp(to);
        return CompletableFuture.failedFuture(new TransportException(Reason.REFUSED,
                "the udp transport carries datagrams only; open streams over a stream transport (quic)"));
    }

    @Override
    public TransportStats stats() {
        return counters.snapshot();
    }

    /** The bound port. */
    int port() {
        return socket.getLocalPort();
    }

    /** Closes the socket and waits for the receive thread to end. */
    @Override
    public void close() {
        closed = true;
        socket.close();
        if (Thread.currentThread() != receiver) {
            try {
                receiver.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (receiver.isAlive() && Thread.currentThread() != receiver) {
            log.warn("{}: receive thread still busy after {} ms, probably in a slow datagram handler", this, CLOSE_WAIT_MILLIS);
        }
    }

    @Override
    public String toString() {
        return "udp transport of node '" + nodeName + "' on port " + socket.getLocalPort();
    }

    private void receiveLoop() {
        DatagramPacket packet = new DatagramPacket(new byte[PACKET_BUFFER_SIZE], PACKET_BUFFER_SIZE);
        long interval = sweepIntervalMillis(settings);
        long nextSweep = nowMillis() + interval;
        while (!closed) {
            try {
                packet.setLength(PACKET_BUFFER_SIZE);
                socket.receive(packet);
                onPacket(packet);
            } catch (SocketTimeoutException idle) {
                // nothing arrived: time to look for expired messages
            } catch (IOException e) {
                if (closed || socket.isClosed()) {
                    break;
                }
                log.warn("{}: receive failed: {}", this, e.getMessage());
            } catch (RuntimeException e) {
                // a bug in this class must not end reception for the node
                counters.reject("internal-error");
                log.error("{}: packet from {} could not be processed", this, packet.getSocketAddress(), e);
            }
            long now = nowMillis();
            if (now >= nextSweep) {
                reassembler.expire();
                nextSweep = now + interval;
            }
        }
    }

    private void onPacket(DatagramPacket packet) {
        Fragment fragment;
        try {
            fragment = codec.decode(packet.getData(), packet.getLength());
        } catch (MalformedPacketException e) {
            counters.reject(e.reason());
            log.debug("{}: dropped a packet from {}: {}", this, packet.getSocketAddress(), e.getMessage());
            return;
        }
        InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
        byte[] message = reassembler.accept(from, fragment);
        if (message != null) {
            deliver(UdpAddresses.toPeer(from), message);
        }
    }

    private void deliver(PeerAddress from, byte[] message) {
        List<DatagramHandler> targets = handlers.matching(UdpAddresses.SCHEME, nodeName);
        if (targets.isEmpty()) {
            counters.reject("no-handler");
            return;
        }
        counters.datagramReceived(message.length);
        for (int i = 0; i < targets.size(); i++) {
            byte[] own = i == targets.size() - 1 ? message : message.clone(); // each handler owns its array
            try {
                targets.get(i).onDatagram(this, from, own);
            } catch (Exception e) {
                counters.reject("handler-error");
                log.warn("{}: datagram handler {} failed on a datagram from {}", this, targets.get(i), from, e);
            }
        }
    }

    private void requireUdp(PeerAddress to) {
        if (!UdpAddresses.SCHEME.equals(to.scheme())) {
            throw new IllegalArgumentException("the udp transport cannot send to " + to + ": scheme is not udp");
        }
    }

    /** How often the receive thread wakes to drop expired messages when nothing arrives. */
    private static int sweepIntervalMillis(UdpSettings s) {
        return Math.max(10, Math.min(1000, s.reassemblyTimeoutMillis() / 4));
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }
}
