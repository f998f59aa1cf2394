package org.qdht.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FragmentCodecTest {
    static final int MTU = 100;
    final FragmentCodec codec = new FragmentCodec(MTU, 1000); // at most 10 fragments

    @Test
    void headerLayoutIsAsDocumented() throws Exception {
        byte[] packet = codec.encode(0x01020304, new byte[] {42, 43}).get(0);
        assertArrayEquals(new byte[] {1, 1, 2, 3, 4, 0, 0, 0, 1, 42, 43}, packet);
    }

    @Test
    void smallMessageIsOnePacketOfCountOne() throws Exception {
        List<byte[]> packets = codec.encode(7, new byte[MTU]);
        assertEquals(1, packets.size());
        Fragment f = decode(packets.get(0));
        assertEquals(7, f.messageId());
        assertEquals(0, f.index());
        assertEquals(1, f.count());
        assertEquals(MTU, f.payload().length);
    }

    @Test
    void emptyMessageIsOneEmptyPacket() throws Exception {
        List<byte[]> packets = codec.encode(7, new byte[0]);
        assertEquals(1, packets.size());
        assertEquals(FragmentCodec.HEADER_SIZE, packets.get(0).length);
        assertEquals(0, decode(packets.get(0)).payload().length);
    }

    @Test
    void largeMessageIsSplitIntoFullFragmentsAndAShorterLast() throws Exception {
        byte[] message = randomBytes(950);
        List<byte[]> packets = codec.encode(-5, message);
        assertEquals(10, packets.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
            Fragment f = decode(packets.get(i));
            assertEquals(-5, f.messageId(), "ids are 32 bits, negative ones included");
            assertEquals(i, f.index());
            assertEquals(10, f.count());
            assertEquals(i < 9 ? MTU : 50, f.payload().length);
            joined.write(f.payload());
        }
        assertArrayEquals(message, joined.toByteArray());
    }

    @Test
    void messageOfExactlyTheLimitFitsAndOneMoreByteIsRefused() {
        assertEquals(10, codec.encode(1, new byte[1000]).size());
        assertThrows(IllegalArgumentException.class, () -> codec.encode(1, new byte[1001]));
    }

    @Test
    void decodeReadsOnlyTheGivenLengthAndCopiesThePayload() throws Exception {
        byte[] buffer = new byte[500];
        byte[] packet = codec.encode(3, new byte[] {9, 9, 9}).get(0);
        System.arraycopy(packet, 0, buffer, 0, packet.length);
        buffer[packet.length] = 77; // left over from a longer earlier packet
        Fragment f = codec.decode(buffer, packet.length);
        assertArrayEquals(new byte[] {9, 9, 9}, f.payload());
        buffer[FragmentCodec.HEADER_SIZE] = 0;
        assertEquals(9, f.payload()[0], "the payload does not share the receive buffer");
    }

    @Test
    void refusesPacketsShorterThanTheHeader() {
        assertRejected(new byte[0], "malformed");
        assertRejected(new byte[FragmentCodec.HEADER_SIZE - 1], "malformed");
    }

    @Test
    void refusesUnknownVersion() {
        byte[] packet = header(0, 1);
        packet[0] = 2;
        assertRejected(packet, "malformed");
    }

    @Test
    void refusesCountZeroAndIndexNotBelowCount() {
        assertRejected(header(0, 0), "malformed");
        assertRejected(withPayload(header(3, 3), 1), "malformed");
        assertRejected(withPayload(header(0xFFFF, 2), 1), "malformed");
    }

    @Test
    void refusesMoreFragmentsThanTheLargestMessageNeeds() {
        assertRejected(withPayload(header(0, 11), MTU), "too-large");
        assertRejected(withPayload(header(0, 0xFFFF), MTU), "too-large");
    }

    @Test
    void refusesPayloadAboveTheMtu() {
        assertRejected(withPayload(header(0, 1), MTU + 1), "too-large");
        assertRejected(withPayload(header(0, 2), MTU + 1), "too-large");
    }

    @Test
    void refusesPayloadAboveTheMessageLimitWhenTheMtuIsLarger() {
        FragmentCodec small = new FragmentCodec(1200, 50);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> small.decode(withPayload(header(0, 1), 51), FragmentCodec.HEADER_SIZE + 51));
        assertEquals("too-large", e.reason());
    }

    @Test
    void refusesAnEmptyFragmentOfAMultiFragmentMessage() {
        assertRejected(header(1, 2), "malformed");
    }

    @Test
    void refusesALengthBeyondTheBuffer() {
        byte[] packet = withPayload(header(0, 1), 10);
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> codec.decode(packet, packet.length + 1));
        assertEquals("malformed", e.reason());
    }

    @Test
    void fragmentsForRoundsUpAndNeverReturnsZero() {
        assertEquals(1, FragmentCodec.fragmentsFor(0, 1200));
        assertEquals(1, FragmentCodec.fragmentsFor(1200, 1200));
        assertEquals(2, FragmentCodec.fragmentsFor(1201, 1200));
        assertEquals(219, FragmentCodec.fragmentsFor(262_144, 1200));
    }

    private Fragment decode(byte[] packet) throws MalformedPacketException {
        return codec.decode(packet, packet.length);
    }

    private void assertRejected(byte[] packet, String reason) {
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> decode(packet));
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    static byte[] header(int index, int count) {
        return new byte[] {1, 0, 0, 0, 1, (byte) (index >>> 8), (byte) index, (byte) (count >>> 8), (byte) count};
    }

    static byte[] withPayload(byte[] header, int payloadLength) {
        byte[] packet = new byte[header.length + payloadLength];
        System.arraycopy(header, 0, packet, 0, header.length);
        return packet;
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
