package org.qdht.transport.memory.internal;

import org.qdht.transport.support.TrafficCounters;
import org.qdht.transport.support.HandlerWhiteboard;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.log.Logger;
import org.qdht.api.PeerAddress;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;
import org.qdht.api.transport.TransportStats;
import org.qdht.api.transport.TransportStream;

/**
 * The in-memory transport of one node: a test and simulation transport, not a network. Its
 * address is {@code mem://<node name>}; datagrams and streams go through the {@link Switchboard}
 * to the transport of the named node in the same framework.
 */
final class MemoryTransport implements Transport {
    static final String SCHEME = "mem";

    private final String nodeName;
    private final PeerAddress address;
    private final Switchboard switchboard;
    private final HandlerWhiteboard<DatagramHandler> datagramHandlers;
    private final HandlerWhiteboard<StreamHandler> streamHandlers;
    private final Logger log;
    private final TrafficCounters counters = new TrafficCounters();
    private final Set<MemoryStream> openStreams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    MemoryTransport(String nodeName, Switchboard switchboard, HandlerWhiteboard<DatagramHandler> datagramHandlers,
            HandlerWhiteboard<StreamHandler> streamHandlers, Logger log) {
        this.nodeName = nodeName;
        this.address = PeerAddress.of(SCHEME, nodeName);
        this.switchboard = switchboard;
        this.datagramHandlers = datagramHandlers;
        this.streamHandlers = streamHandlers;
        this.log = log;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public List<PeerAddress> localAddresses() {
        return closed ? List.of() : List.of(address);
    }

    @Override
    public int maxDatagramSize() {
        return switchboard.settings().maxDatagramSize();
    }

    @Override
    public void send(PeerAddress to, byte[] datagram) throws TransportException {
        requireMem(to);
        if (closed) {
            throw new TransportException(Reason.CLOSED, this + " is closed");
        }
        if (datagram.length > maxDatagramSize()) {
            counters.reject("too-large");
            throw new TransportException(Reason.TOO_LARGE, "datagram of " + datagram.length
                    + " bytes is above the in-memory limit of " + maxDatagramSize() + " (setting maxDatagramSize)");
        }
        MemoryTransport target = reachable(to);
        byte[] copy = datagram.clone(); // the caller keeps its array
        counters.datagramSent(copy.length);
        if (switchboard.dropsNext()) {
            counters.reject("lost");
            return;
        }
        switchboard.carry(() -> target.receive(address, copy));
    }

    @Override
    public boolean supportsStreams() {
        return true;
    }

    @Override
    public CompletionStage<TransportStream> openStream(PeerAddress to) {
        requireMem(to);
        if (closed) {
            return CompletableFuture.failedFuture(new TransportException(Reason.CLOSED, this + " is closed"));
        }
        MemoryTransport target;
        try {
            target = reachable(to);
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<TransportStream> opened = new CompletableFuture<>();
        switchboard.carry(() -> target.accept(this, opened));
        return opened;
    }

    @Override
    public TransportStats stats() {
        return counters.snapshot();
    }

    /** Detaches from the switchboard and ends every stream of this node. */
    void close() {
        closed = true;
        switchboard.detach(this);
        for (MemoryStream s : openStreams) {
            s.abort();
        }
        openStreams.clear();
    }

    String nodeName() {
        return nodeName;
    }

    PeerAddress address() {
        return address;
    }

    TrafficCounters counters() {
        return counters;
    }

    /** Called when a stream end of this node is closed. */
    void forget(MemoryStream stream) {
        openStreams.remove(stream);
    }

    @Override
    public String toString() {
        return "in-memory transport of node '" + nodeName + "'";
    }

    /** On the switchboard thread: a datagram arrives. */
    private void receive(PeerAddress from, byte[] datagram) {
        if (closed) {
            return; // the node went away while the datagram was in flight
        }
        List<DatagramHandler> targets = datagramHandlers.matching(SCHEME, nodeName);
        if (targets.isEmpty()) {
            counters.reject("no-handler");
            return;
        }
        counters.datagramReceived(datagram.length);
        for (int i = 0; i < targets.size(); i++) {
            byte[] own = i == targets.size() - 1 ? datagram : datagram.clone(); // each handler owns its array
            try {
                targets.get(i).onDatagram(this, from, own);
            } catch (Exception e) {
                counters.reject("handler-error");
                log.warn("{}: datagram handler {} failed on a datagram from {}", this, targets.get(i), from, e);
            }
        }
    }

    /** On the switchboard thread: {@code opener} asks for a stream to this node. */
    private void accept(MemoryTransport opener, CompletableFuture<TransportStream> opened) {
        if (closed) {
            opened.completeExceptionally(new TransportException(Reason.UNREACHABLE, "node '" + nodeName + "' went away"));
            return;
        }
        List<StreamHandler> handlers = streamHandlers.matching(SCHEME, nodeName);
        if (handlers.isEmpty()) {
            counters.reject("no-handler");
            opened.completeExceptionally(new TransportException(Reason.REFUSED,
                    "node '" + nodeName + "' takes no streams: it has no StreamHandler for mem"));
            return;
        }
        MemoryStream[] ends = MemoryStream.pair(opener, this, switchboard.settings().streamBufferBytes());
        opener.keep(ends[0]);
        keep(ends[1]);
        try {
            handlers.get(0).onStream(this, ends[1]);
        } catch (Exception e) {
            counters.reject("handler-error");
            log.warn("{}: stream handler {} failed on a stream from {}", this, handlers.get(0), opener.address, e);
            ends[1].close();
            ends[0].close();
            opened.completeExceptionally(new TransportException(Reason.REFUSED,
                    "the stream handler of node '" + nodeName + "' failed: " + e.getMessage(), e));
            return;
        }
        opened.complete(ends[0]);
    }

    private void keep(MemoryStream stream) {
        openStreams.add(stream);
        if (closed) {
            stream.abort(); // closed meanwhile: close() may have missed it
        }
    }

    private MemoryTransport reachable(PeerAddress to) throws TransportException {
        MemoryTransport target = switchboard.find(to.location());
        if (target == null) {
            throw new TransportException(Reason.UNREACHABLE, "no node named '" + to.location()
                    + "' is attached to the in-memory switchboard");
        }
        return target;
    }

    private void requireMem(PeerAddress to) {
        if (!SCHEME.equals(to.scheme())) {
            throw new IllegalArgumentException("the in-memory transport cannot reach " + to + ": scheme is not mem");
        }
    }
}
