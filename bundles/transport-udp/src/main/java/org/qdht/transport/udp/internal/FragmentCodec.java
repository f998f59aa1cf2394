package org.qdht.transport.udp.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The packet format. Each UDP packet carries one fragment of one message, behind a 9-byte header
 * (all integers unsigned, big-endian):
 *
 * <pre>
 * offset size field
 *      0    1 version, 1
 *      1    4 message id, random per message, chosen by the sender
 *      5    2 fragment index, 0 .. count-1
 *      7    2 fragment count, 1 .. 65535 (1: the message fits one packet)
 *      9    n payload
 * </pre>
 *
 * Every fragment but the last carries the same number of payload bytes, the sender's MTU; the last
 * carries 1 to that many (a message of one fragment may be empty). The receiver refuses a payload
 * above its own MTU and a count above {@code ceil(maxMessageSize / mtu)}, so every node of a
 * network should use the same MTU. Consistency across the fragments of one message is checked by
 * the {@link Reassembler}.
 */
final class FragmentCodec {
    static final int VERSION = 1;
    static final int HEADER_SIZE = 9;
    static final int MAX_FRAGMENT_COUNT = 0xFFFF;

    private final int mtu;
    private final int maxMessageSize;
    private final int maxFragments;

    FragmentCodec(int mtu, int maxMessageSize) {
        this.mtu = mtu;
        this.maxMessageSize = maxMessageSize;
        this.maxFragments = fragmentsFor(maxMessageSize, mtu);
    }

    /** Fragments a message of {@code size} bytes needs with payloads of {@code mtu} bytes; at least 1. */
    static int fragmentsFor(int size, int mtu) {
        return Math.max(1, (size + mtu - 1) / mtu);
    }

    /** The packets of one message, in order. */
    List<byte[]> encode(int messageId, byte[] message) {
        if (message.length > maxMessageSize) {
            throw new IllegalArgumentException("message of " + message.length + " bytes is above the limit of "
                    + maxMessageSize);
        }
        int count = fragmentsFor(message.length, mtu);
        List<byte[]> packets = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            int from = index * mtu;
            int length = Math.min(mtu, message.length - from);
            byte[] packet = new byte[HEADER_SIZE + length];
            packet[0] = VERSION;
            putInt(packet, 1, messageId);
            putShort(packet, 5, index);
            putShort(packet, 7, count);
            System.arraycopy(message, from, packet, HEADER_SIZE, length);
            packets.add(packet);
        }
        return packets;
    }

    /**
     * Decodes the first {@code length} bytes of {@code packet}; the payload is copied, so the
     * buffer can be reused.
     *
     * @throws MalformedPacketException for anything but a valid fragment within this receiver's limits
     */
    Fragment decode(byte[] packet, int length) throws MalformedPacketException {
        if (length < HEADER_SIZE || length > packet.length) {
            throw new MalformedPacketException(MalformedPacketException.MALFORMED,
                    "packet of " + length + " bytes is shorter than the " + HEADER_SIZE + "-byte header");
        }
        if (packet[0] != VERSION) {
            throw new MalformedPacketException(MalformedPacketException.MALFORMED, "unknown version " + packet[0]);
        }
        int messageId = getInt(packet, 1);
        int index = getShort(packet, 5);
        int count = getShort(packet, 7);
        int payloadLength = length - HEADER_SIZE;
        if (count == 0) {
            throw new MalformedPacketException(MalformedPacketException.MALFORMED, "fragment count 0");
        }
        if (index >= count) {
            throw new MalformedPacketException(MalformedPacketException.MALFORMED,
                    "fragment index " + index + " is not below count " + count);
        }
        if (count > maxFragments) {
            throw new MalformedPacketException(MalformedPacketException.TOO_LARGE,
                    "fragment count " + count + " is above the limit of " + maxFragments);
        }
        if (payloadLength > mtu || payloadLength > maxMessageSize) {
            throw new MalformedPacketException(MalformedPacketException.TOO_LARGE,
                    "fragment payload of " + payloadLength + " bytes is above the limit of " + Math.min(mtu, maxMessageSize));
        }
        if (count > 1 && payloadLength == 0) {
            throw new MalformedPacketException(MalformedPacketException.MALFORMED,
                    "empty fragment in a message of " + count + " fragments");
        }
        return new Fragment(messageId, index, count, Arrays.copyOfRange(packet, HEADER_SIZE, length));
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static int getShort(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
