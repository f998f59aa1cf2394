package org.qdht.channel.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.ChannelException.Reason;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.channel.SessionInfo;

/**
 * One secure session with a peer. Holds up to three key epochs: {@code current} sends and
 * receives; {@code pending} (a re-key this node started) only receives until the peer's first
 * message under it confirms the peer has it; {@code previous} only receives, for a grace period
 * after a re-key, so that messages already in flight are not lost. Thread safe.
 */
final class Session implements SecureSession {
    /** Control messages travel as protocol 0, which applications cannot use. */
    static final int CONTROL = 0;
    static final int CONTROL_CONFIRM = 1;
    static final int CONTROL_CLOSE = 2;

    private final NodeChannel channel;
    private final Instant established = Instant.now();
    private final SerialQueue deliveries;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean rekeyQueued = new AtomicBoolean();
    private volatile long lastReceivedNanos = System.nanoTime();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder rekeys = new LongAdder();

    private volatile PeerAddress remote;
    private volatile NodeId peer;
    private volatile KeyEpoch current;
    private volatile KeyEpoch pending;
    private volatile KeyEpoch previous;
    private volatile long previousUntilNanos;
    private volatile boolean rekeying;
    private volatile boolean suiteChangeWanted;

    Session(NodeChannel channel, PeerAddress remote, NodeId peer, SerialQueue deliveries) {
        this.channel = channel;
        this.remote = remote;
        this.peer = peer;
        this.deliveries = deliveries;
    }

    @Override
    public NodeId peer() {
        return peer;
    }

    @Override
    public SuiteId suite() {
        KeyEpoch e = current;
        return e != null ? e.suite() : pending.suite();
    }

    PeerAddress remote() {
        return remote;
    }

    KeyEpoch current() {
        return current;
    }

    boolean isRekeying() {
        return rekeying;
    }

    void setRekeying(boolean value) {
        rekeying = value;
    }

    /** The node switched suite: the next re-key uses its preferred suite instead of keeping the session's. */
    void wantSuiteChange() {
        suiteChangeWanted = true;
    }

    boolean suiteChangeWanted() {
        return suiteChangeWanted;
    }

    @Override
    public void send(int protocol, byte[] message) throws ChannelException {
        if (!Protocols.isValid(protocol)) {
            throw new IllegalArgumentException("protocol code " + protocol + " is not in 0x0001-0xFFFE");
        }
        if (message.length > MAX_MESSAGE_SIZE) {
            throw new ChannelException(Reason.TOO_LARGE, "message of " + message.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        }
        sendPlain(protocol, message);
        messagesOut.increment();
        bytesOut.add(message.length);
    }

    void sendControl(int kind) throws ChannelException {
        sendPlain(CONTROL, new byte[] {(byte) kind});
    }

    private void sendPlain(int protocol, byte[] message) throws ChannelException {
        if (!open.get()) {
            throw new ChannelException(Reason.CLOSED, "the session with " + shortId(peer) + " is closed");
        }
        KeyEpoch epoch = current;
        if (epoch == null) {
            throw new ChannelException(Reason.CLOSED, "the session with " + shortId(peer) + " is not confirmed yet");
        }
        byte[] plaintext = new byte[2 + message.length];
        plaintext[0] = (byte) (protocol >>> 8);
        plaintext[1] = (byte) protocol;
        System.arraycopy(message, 0, plaintext, 2, message.length);
        channel.transmit(remote, epoch.seal(plaintext));
        if (epoch.messagesSent() > channel.rekeyAfterMessages() && !rekeying && rekeyQueued.compareAndSet(false, true)) {
            channel.rekeyLater(this, () -> rekeyQueued.set(false));
        }
    }

    /** The epoch that {@code localIndex} names, if it still receives. */
    KeyEpoch epochFor(long localIndex) {
        for (KeyEpoch e : new KeyEpoch[] {current, pending, previous}) {
            if (e != null && e.localIndex() == localIndex) {
                if (e == previous && System.nanoTime() - previousUntilNanos > 0) {
                    return null;
                }
                return e;
            }
        }
        return null;
    }

    /** Handles an authenticated plaintext that arrived under {@code epoch} from {@code from}. */
    void onPlaintext(KeyEpoch epoch, PeerAddress from, byte[] plaintext) {
        lastReceivedNanos = System.nanoTime();
        if (epoch == pending) {
            promotePending();
        }
        remote = from;
        if (plaintext.length < 2) {
            channel.counterSet().add("malformed");
            return;
        }
        int protocol = ((plaintext[0] & 0xFF) << 8) | (plaintext[1] & 0xFF);
        if (protocol == CONTROL) {
            onControl(epoch, plaintext);
            return;
        }
        byte[] message = java.util.Arrays.copyOfRange(plaintext, 2, plaintext.length);
        messagesIn.increment();
        bytesIn.add(message.length);
        if (!deliveries.submit(() -> channel.deliver(this, protocol, message))) {
            channel.counterSet().add("overloaded");
        }
    }

    private void onControl(KeyEpoch epoch, byte[] plaintext) {
        int kind = plaintext.length > 2 ? plaintext[2] & 0xFF : -1;
        if (kind == CONTROL_CONFIRM) {
            channel.onConfirmed(this, epoch);
        } else if (kind == CONTROL_CLOSE) {
            closeQuietly(false);
        } else {
            channel.counterSet().add("malformed");
        }
    }

    /** Installs the first keys of a session or keys a re-key this node answered: they send at once. */
    void installSending(Established e, KeyEpoch epoch, long graceNanos) {
        synchronized (this) {
            retire(current, graceNanos);
            current = epoch;
            if (e.replacesIndex() != 0 || pending != null) {
                rekeys.increment();
            }
            peer = e.peer();
            rekeying = false;
        }
    }

    /** Installs keys of a re-key or connect this node started: they receive now and send once the peer confirms. */
    void installPending(Established e, KeyEpoch epoch) {
        synchronized (this) {
            if (pending != null) {
                channel.forgetIndex(pending.localIndex());
                pending.destroy();
            }
            pending = epoch;
            peer = e.peer();
        }
    }

    private void promotePending() {
        synchronized (this) {
            KeyEpoch next = pending;
            if (next == null) {
                return;
            }
            if (current != null) {
                rekeys.increment();
            }
            retire(current, channel.graceNanos());
            current = next;
            pending = null;
            rekeying = false;
            suiteChangeWanted = false;
        }
    }

    private void retire(KeyEpoch old, long graceNanos) {
        if (old == null) {
            return;
        }
        KeyEpoch before = previous;
        if (before != null && before != old) {
            channel.forgetIndex(before.localIndex());
            before.destroy();
        }
        previous = old;
        previousUntilNanos = System.nanoTime() + graceNanos;
    }

    /** Drops the previous epoch once its grace period is over. */
    void expireGrace() {
        synchronized (this) {
            KeyEpoch old = previous;
            if (old != null && System.nanoTime() - previousUntilNanos > 0) {
                channel.forgetIndex(old.localIndex());
                old.destroy();
                previous = null;
            }
        }
    }

    /** How long since the peer's last authenticated message (or since the session began). */
    long idleNanos() {
        return System.nanoTime() - lastReceivedNanos;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public SessionInfo info() {
        return new SessionInfo(peer, remote, suite(), established, bytesIn.sum(), bytesOut.sum(), messagesIn.sum(),
                messagesOut.sum(), rekeys.sum());
    }

    @Override
    public void close() {
        closeQuietly(true);
    }

    void closeQuietly(boolean tellPeer) {
        if (tellPeer && open.get() && current != null) {
            try {
                sendControl(CONTROL_CLOSE);
            } catch (ChannelException e) {
                // best effort: the peer's keys expire on their own
            }
        }
        if (!open.compareAndSet(true, false)) {
            return;
        }
        synchronized (this) {
            for (KeyEpoch e : new KeyEpoch[] {current, pending, previous}) {
                if (e != null) {
                    channel.forgetIndex(e.localIndex());
                    e.destroy();
                }
            }
        }
        channel.onClosed(this);
    }

    static String shortId(NodeId id) {
        return id.toHex().substring(0, 16);
    }

    @Override
    public String toString() {
        return "session with " + shortId(peer) + " at " + remote;
    }
}
