package org.qdht.channel.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.ChannelException.Reason;
import org.qdht.api.crypto.Aead;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.SecretBytes;

/**
 * One generation of a session's keys: a send key with its counter and a receive key with its
 * replay window, named on the wire by the receiver's index. A handshake makes one; re-keying
 * makes the next while this one still receives for a grace period. Thread safe.
 */
final class KeyEpoch {
    private final long localIndex;
    private final long remoteIndex;
    private final SuiteId suite;
    private final Aead aead;
    private final SecretBytes sendKey;
    private final SecretBytes receiveKey;
    private final boolean initiator;
    private final long createdNanos = System.nanoTime();
    private final AtomicLong nextCounter = new AtomicLong();
    private final ReplayWindow window = new ReplayWindow();

    KeyEpoch(Established e, Aead aead) {
        this.localIndex = e.localIndex();
        this.remoteIndex = e.remoteIndex();
        this.suite = e.suite();
        this.aead = aead;
        this.sendKey = e.sendKey();
        this.receiveKey = e.receiveKey();
        this.initiator = e.initiator();
    }

    long localIndex() {
        return localIndex;
    }

    long remoteIndex() {
        return remoteIndex;
    }

    SuiteId suite() {
        return suite;
    }

    /** Whether this node started the handshake that made these keys; it is the one that re-keys on schedule. */
    boolean madeAsInitiator() {
        return initiator;
    }

    long ageNanos() {
        return System.nanoTime() - createdNanos;
    }

    long messagesSent() {
        return nextCounter.get();
    }

    /** A data packet carrying {@code plaintext} under the next counter. */
    byte[] seal(byte[] plaintext) throws ChannelException {
        long counter = nextCounter.getAndIncrement();
        byte[] header = Packets.Data.header(remoteIndex, counter);
        try {
            byte[] ciphertext = aead.seal(sendKey, nonce(counter), header, plaintext);
            return Transcript.concat(header, ciphertext);
        } catch (CryptoException e) {
            throw new ChannelException(Reason.CLOSED, "the session's keys are gone: " + e.getMessage(), e);
        }
    }

    /** The plaintext of {@code data}, if it is fresh and authentic. */
    byte[] open(Packets.Data data) throws ChannelException {
        ReplayWindow.Verdict verdict = window.check(data.counter());
        if (verdict == ReplayWindow.Verdict.SEEN) {
            throw new ChannelException(Reason.REPLAY, "message " + data.counter() + " was seen before");
        }
        if (verdict == ReplayWindow.Verdict.TOO_OLD) {
            throw new LateMessageException("message " + data.counter() + " is older than the replay window of " + ReplayWindow.SIZE);
        }
        byte[] plaintext;
        try {
            plaintext = aead.open(receiveKey, nonce(data.counter()), Packets.Data.header(data.receiverIndex(), data.counter()), data.ciphertext());
        } catch (CryptoException e) {
            throw new ChannelException(Reason.AUTHENTICATION_FAILED, "message " + data.counter() + " failed its authentication tag", e);
        }
        if (!window.mark(data.counter())) {
            throw new ChannelException(Reason.REPLAY, "message " + data.counter() + " arrived twice at the same time");
        }
        return plaintext;
    }

    /** A message too old for the window: refused like a replay, but counted apart ({@code late}) since reordering causes it too. */
    static final class LateMessageException extends ChannelException {
        private static final long serialVersionUID = 1L;

        LateMessageException(String message) {
            super(Reason.REPLAY, message);
        }
    }

    private byte[] nonce(long counter) {
        byte[] nonce = new byte[aead.nonceSize()];
        for (int i = 0; i < 8; i++) {
            nonce[nonce.length - 1 - i] = (byte) (counter >>> (8 * i));
        }
        return nonce;
    }

    void destroy() {
        sendKey.destroy();
        receiveKey.destroy();
    }
}
