package org.qdht.transport.udp.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Puts fragmented messages back together, keyed by (source address, message id), within fixed
 * bounds, because every fragment is unauthenticated input from anyone who can send us a packet:
 * <ul>
 * <li>at most {@code maxPartialMessagesPerPeer} half-received messages per source; a new one
 * evicts that source's oldest, so one source cannot hold more, and a peer that lost fragments is
 * not locked out until its stale messages time out;</li>
 * <li>at most {@code maxBytes} held in total, counting a fixed overhead per message and per
 * fragment, so a flood of tiny fragments (from many spoofed sources) cannot pin more memory than
 * the limit; a fragment that does not fit drops its message;</li>
 * <li>an incomplete message is dropped {@code timeoutMillis} after its first fragment
 * ({@link #expire()});</li>
 * <li>the fragments of one message must agree: same count, every fragment but the last of the
 * same length, the last no longer, the total within {@code maxMessageSize}. A fragment that
 * disagrees is rejected alone, so a forged fragment cannot destroy a genuine message.</li>
 * </ul>
 * Duplicate fragments are ignored. Each refusal is reported to the {@code rejected} sink under its
 * stats reason. Not thread safe: the receive thread of one transport owns it. The clock is
 * injectable so that tests can move time.
 */
final class Reassembler {
    static final String TIMEOUT = "reassembly-timeout";
    static final String FULL = "reassembly-full";
    static final String DUPLICATE = "duplicate";

    /** Charged per half-received message: the object, its map entries and fragment table header. */
    static final int MESSAGE_OVERHEAD = 128;
    /** Charged per stored fragment on top of its payload: the array header and table slot. */
    static final int FRAGMENT_OVERHEAD = 32;

    private final int maxMessageSize;
    private final int maxPartialMessagesPerPeer;
    private final long maxBytes;
    private final long timeoutMillis;
    private final LongSupplier clockMillis;
    private final Consumer<String> rejected;

    private final Map<Object, LinkedHashMap<Integer, PartialMessage>> bySource = new HashMap<>();
    private long bytesHeld;
    private int partialMessages;

    Reassembler(int maxMessageSize, int maxPartialMessagesPerPeer, long maxBytes, long timeoutMillis,
            LongSupplier clockMillis, Consumer<String> rejected) {
        this.maxMessageSize = maxMessageSize;
        this.maxPartialMessagesPerPeer = maxPartialMessagesPerPeer;
        this.maxBytes = maxBytes;
        this.timeoutMillis = timeoutMillis;
        this.clockMillis = clockMillis;
        this.rejected = rejected;
    }

    static Reassembler of(UdpSettings s, LongSupplier clockMillis, Consumer<String> rejected) {
        return new Reassembler(s.maxMessageSize(), s.maxPartialMessagesPerPeer(), s.maxReassemblyBytes(),
                s.reassemblyTimeoutMillis(), clockMillis, rejected);
    }

    /** What a complete message of {@code size} bytes in {@code fragments} fragments counts against the limit. */
    static long bytesCharged(int size, int fragments) {
        return MESSAGE_OVERHEAD + 8L * fragments + size + (long) FRAGMENT_OVERHEAD * fragments;
    }

    /** Adds a fragment from {@code source}; returns the message it completes, or null. */
    byte[] accept(Object source, Fragment f) {
        if (f.count() == 1) {
            return f.payload();
        }
        LinkedHashMap<Integer, PartialMessage> ofSource = bySource.computeIfAbsent(source, s -> new LinkedHashMap<>());
        try {
            PartialMessage message = ofSource.get(f.messageId());
            if (message == null) {
                message = start(ofSource, f);
                if (message == null) {
                    return null;
                }
            }
            return add(ofSource, message, f);
        } finally {
            if (ofSource.isEmpty()) {
                bySource.remove(source); // spoofed sources must not leave empty entries behind
            }
        }
    }

    /** Drops every message whose first fragment came {@code timeoutMillis} ago or earlier. */
    void expire() {
        long now = clockMillis.getAsLong();
        for (LinkedHashMap<Integer, PartialMessage> ofSource : bySource.values()) {
            Iterator<PartialMessage> messages = ofSource.values().iterator();
            while (messages.hasNext()) {
                PartialMessage m = messages.next();
                if (now - m.startedAt < timeoutMillis) {
                    break; // insertion order is start order: the rest are younger
                }
                messages.remove();
                release(m, TIMEOUT);
            }
        }
        bySource.values().removeIf(Map::isEmpty);
    }

    /** Bytes charged for the messages held now. */
    long bytesHeld() {
        return bytesHeld;
    }

    /** Half-received messages held now. */
    int partialMessages() {
        return partialMessages;
    }

    private PartialMessage start(LinkedHashMap<Integer, PartialMessage> ofSource, Fragment f) {
        if (ofSource.size() >= maxPartialMessagesPerPeer) {
            Iterator<PartialMessage> oldest = ofSource.values().iterator();
            PartialMessage evicted = oldest.next();
            oldest.remove();
            release(evicted, FULL);
        }
        long charge = MESSAGE_OVERHEAD + 8L * f.count();
        if (bytesHeld + charge > maxBytes) {
            rejected.accept(FULL);
            return null;
        }
        PartialMessage m = new PartialMessage(f.count(), clockMillis.getAsLong(), charge);
        bytesHeld += charge;
        partialMessages++;
        ofSource.put(f.messageId(), m);
        return m;
    }

    private byte[] add(LinkedHashMap<Integer, PartialMessage> ofSource, PartialMessage m, Fragment f) {
        if (!m.agreesWith(f)) {
            rejected.accept(MalformedPacketException.MALFORMED);
            return null;
        }
        if (m.has(f.index())) {
            rejected.accept(DUPLICATE);
            return null;
        }
        long charge = f.payload().length + FRAGMENT_OVERHEAD;
        if (bytesHeld + charge > maxBytes) {
            ofSource.remove(f.messageId());
            release(m, FULL); // it cannot complete without this fragment
            return null;
        }
        m.add(f);
        m.charged += charge;
        bytesHeld += charge;
        if (m.smallestSize() > maxMessageSize) {
            ofSource.remove(f.messageId());
            release(m, MalformedPacketException.TOO_LARGE);
            return null;
        }
        if (!m.isComplete()) {
            return null;
        }
        ofSource.remove(f.messageId());
        bytesHeld -= m.charged;
        partialMessages--;
        return m.assemble();
    }

    private void release(PartialMessage m, String reason) {
        bytesHeld -= m.charged;
        partialMessages--;
        rejected.accept(reason);
    }

    /** The fragments of one message received so far. */
    private static final class PartialMessage {
        final byte[][] fragments;
        final long startedAt;
        long charged;
        int received;
        /** Payload length of every fragment but the last; -1 until one of them arrives. */
        int fragmentLength = -1;

        PartialMessage(int count, long startedAt, long charged) {
            this.fragments = new byte[count][];
            this.startedAt = startedAt;
            this.charged = charged;
        }

        boolean agreesWith(Fragment f) {
            if (f.count() != fragments.length) {
                return false;
            }
            int length = f.payload().length;
            if (f.isLast()) {
                return fragmentLength < 0 || length <= fragmentLength;
            }
            byte[] last = fragments[fragments.length - 1];
            return fragmentLength < 0 ? last == null || last.length <= length : length == fragmentLength;
        }

        boolean has(int index) {
            return fragments[index] != null;
        }

        void add(Fragment f) {
            fragments[f.index()] = f.payload();
            received++;
            if (!f.isLast()) {
                fragmentLength = f.payload().length;
            }
        }

        /** The least the complete message can weigh, from what is known now. */
        long smallestSize() {
            if (fragmentLength < 0) {
                return 0;
            }
            byte[] last = fragments[fragments.length - 1];
            return (long) fragmentLength * (fragments.length - 1) + (last == null ? 1 : last.length);
        }

        boolean isComplete() {
            return received == fragments.length;
        }

        byte[] assemble() {
            int size = 0;
            for (byte[] part : fragments) {
                size += part.length;
            }
            byte[] message = new byte[size];
            int at = 0;
            for (byte[] part : fragments) {
                System.arraycopy(part, 0, message, at, part.length);
                at += part.length;
            }
            return message;
        }
    }
}
