package org.qdht.channel.internal;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.qdht.api.PeerAddress;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.ChannelException.Reason;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportStream;

/**
 * One long-lived stream to one peer address, carrying the channel's packets as 4-byte length +
 * packet frames, in order. Used on transports with streams (QUIC, in-memory): their flow and
 * congestion control then pace the sender, and nothing is reordered or dropped on the way, where
 * datagrams under load were (Kwik queues datagrams newest first). A writer thread drains a bounded
 * queue; a sender waits up to {@link #OFFER_TIMEOUT_MS} for room. The link closes itself after
 * {@link #IDLE_MS} without packets, or on a stream error; the next packet opens a new one.
 */
final class StreamLink implements Runnable {
    static final int QUEUE_PACKETS = 1024;
    static final long OFFER_TIMEOUT_MS = 5_000;
    static final long IDLE_MS = 30_000;
    private static final long OPEN_TIMEOUT_MS = 15_000;

    /** Told when the link ends, so its owner can forget it; and where to count failures. */
    interface Owner {
        void linkEnded(StreamLink link, String reason, int packetsLost);
    }

    private final Transport transport;
    private final PeerAddress to;
    private final Owner owner;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_PACKETS);
    private static final byte[] END = new byte[0];
    private volatile boolean ended;

    StreamLink(Transport transport, PeerAddress to, Owner owner) {
        this.transport = transport;
        this.to = to;
        this.owner = owner;
    }

    PeerAddress to() {
        return to;
    }

    Transport transport() {
        return transport;
    }

    boolean isEnded() {
        return ended;
    }

    /** Queues a packet; blocks while the queue is full, at most {@link #OFFER_TIMEOUT_MS}. */
    void send(byte[] packet) throws ChannelException {
        if (ended) {
            throw new ChannelException(Reason.CLOSED, "the stream to " + to + " has ended");
        }
        try {
            if (!queue.offer(packet, OFFER_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new ChannelException(Reason.CLOSED, "the stream to " + to + " took nothing for "
                        + OFFER_TIMEOUT_MS + " ms: the peer or the link is stuck");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException(Reason.CLOSED, "interrupted while sending to " + to, e);
        }
    }

    /** Ends the link after the packets already queued (a node's channel closing: its close messages still go). */
    void finish() {
        queue.offer(END);
    }

    /** The writer: opens the stream, then writes queued packets until idle or an error. */
    @Override
    public void run() {
        String reason = "idle";
        TransportStream stream = null;
        try {
            stream = transport.openStream(to).toCompletableFuture().get(OPEN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            DataOutputStream out = new DataOutputStream(stream.output());
            while (true) {
                byte[] packet = queue.poll(IDLE_MS, TimeUnit.MILLISECONDS);
                if (packet == null || packet == END) {
                    out.flush();
                    break;
                }
                out.writeInt(packet.length);
                out.write(packet);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            reason = "stopped";
            Thread.currentThread().interrupt();
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            reason = "stream-failed";
        } finally {
            ended = true;
            if (stream != null) {
                stream.close();
            }
            int lost = queue.size();
            queue.clear();
            owner.linkEnded(this, reason, lost);
        }
    }
}
