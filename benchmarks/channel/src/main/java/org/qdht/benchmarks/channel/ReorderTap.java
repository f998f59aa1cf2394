package org.qdht.benchmarks.channel;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.qdht.api.PeerAddress;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.Transport;

/**
 * A diagnostic ({@code -Dbench.reorderTap=true}): a second {@link DatagramHandler} on the receiving
 * node that sees every datagram its transport delivers, next to the channel's own handler, and reads
 * the clear header of channel data packets (type 5, u32 receiver index, i64 counter). It counts the
 * data packets that arrive, duplicates of a counter, how far a packet arrives behind the highest
 * counter seen so far, and how many arrive at least {@value #REPLAY_WINDOW} behind: the channel's
 * replay window refuses those as replays although they are the only copy. Off by default: every
 * extra handler costs the transport a copy of each datagram and this one takes a lock.
 */
final class ReorderTap implements DatagramHandler {
    /** {@code ReplayWindow.SIZE} of the channel bundle. */
    static final int REPLAY_WINDOW = 4096;
    private static final int DATA = 5;

    private final BitSet seen = new BitSet();
    private long highest = -1;
    private long packets;
    private long duplicates;
    private long late;
    private long beyondWindow;
    private long maxBehind;

    @Override
    public synchronized void onDatagram(Transport transport, PeerAddress from, byte[] datagram) {
        if (datagram.length < 13 || datagram[0] != DATA) {
            return;
        }
        long counter = 0;
        for (int i = 5; i < 13; i++) {
            counter = (counter << 8) | (datagram[i] & 0xFF);
        }
        packets++;
        if (counter >= 0 && counter < Integer.MAX_VALUE) {
            if (seen.get((int) counter)) {
                duplicates++;
            }
            seen.set((int) counter);
        }
        if (counter > highest) {
            highest = counter;
        } else {
            late++;
            maxBehind = Math.max(maxBehind, highest - counter);
            if (highest - counter >= REPLAY_WINDOW) {
                beyondWindow++;
            }
        }
    }

    /**
     * Cumulative counts, which the runner reports as their change over each run; the largest distance
     * behind ("max ...") is since the previous call, which the runner makes when a run starts.
     */
    synchronized Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("data packets", packets);
        c.put("duplicate counters", duplicates);
        c.put("arrived after a higher counter", late);
        c.put("arrived >= " + REPLAY_WINDOW + " behind", beyondWindow);
        c.put("max counters behind", maxBehind);
        maxBehind = 0;
        return c;
    }
}
