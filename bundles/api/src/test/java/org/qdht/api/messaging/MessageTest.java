package org.qdht.api.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireFormat;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireFormatException.Reason;
import org.qdht.api.wire.WireWriter;

class MessageTest {
    private static final MessageId ID = MessageId.of(filled(MessageId.LENGTH, 1));
    private static final NodeId SENDER = NodeId.of(filled(NodeId.LENGTH, 2));
    private static final GroupId GROUP = GroupId.of(filled(GroupId.LENGTH, 3));
    private static final Instant SENT = Instant.parse("2025-03-01T12:00:00.123Z");

    @Test
    void directMessageRoundTrips() throws WireFormatException {
        Message m = Message.of(ID, SENDER, Optional.empty(), SENT, "hello".getBytes());
        Message decoded = WireFormat.decode(Message.CODEC, WireFormat.encode(Message.CODEC, m));
        assertEquals(m, decoded);
        assertEquals(Optional.empty(), decoded.group());
        assertEquals(SENT, decoded.sentAt());
        assertArrayEquals("hello".getBytes(), decoded.body());
    }

    @Test
    void groupMessageWithLargestBodyRoundTrips() throws WireFormatException {
        byte[] body = filled(Message.MAX_BODY_SIZE, 7);
        Message m = Message.of(ID, SENDER, Optional.of(GROUP), SENT, body);
        byte[] frame = WireFormat.encode(Message.CODEC, m);
        Message decoded = WireFormat.decode(Message.CODEC, frame);
        assertEquals(m, decoded);
        assertEquals(Optional.of(GROUP), decoded.group());
        assertEquals(Message.MAX_BODY_SIZE, decoded.bodySize());
    }

    @Test
    void emptyBodyRoundTrips() throws WireFormatException {
        Message m = Message.of(ID, SENDER, Optional.empty(), Instant.EPOCH, new byte[0]);
        assertEquals(m, WireFormat.decode(Message.CODEC, WireFormat.encode(Message.CODEC, m)));
    }

    @Test
    void timeIsKeptToTheMillisecond() {
        Message m = Message.of(ID, SENDER, Optional.empty(), SENT.plusNanos(456_789), new byte[0]);
        assertEquals(SENT, m.sentAt());
    }

    @Test
    void bodyIsCopiedInAndOut() {
        byte[] body = {1, 2, 3};
        Message m = Message.of(ID, SENDER, Optional.empty(), SENT, body);
        body[0] = 9;
        m.body()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, m.body());
    }

    @Test
    void factoryRejectsBadValues() {
        assertThrows(IllegalArgumentException.class,
                () -> Message.of(ID, SENDER, Optional.empty(), SENT, new byte[Message.MAX_BODY_SIZE + 1]));
        assertThrows(IllegalArgumentException.class,
                () -> Message.of(ID, SENDER, Optional.empty(), Instant.EPOCH.minusMillis(1), new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> Message.of(ID, SENDER, Optional.empty(), Instant.MAX, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Message.of(ID, null, Optional.empty(), SENT, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Message.of(ID, SENDER, null, SENT, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> MessageId.of(new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> GroupId.fromHex("zz"));
    }

    @Test
    void randomIdsDiffer() {
        assertNotEquals(MessageId.random(), MessageId.random());
        assertEquals(MessageId.LENGTH, MessageId.random().bytes().length);
    }

    @Test
    void rejectsTruncatedFrame() {
        byte[] frame = WireFormat.encode(Message.CODEC, Message.of(ID, SENDER, Optional.of(GROUP), SENT, new byte[10]));
        assertReason(Reason.TRUNCATED, Arrays.copyOf(frame, frame.length - 1));
        assertReason(Reason.TRUNCATED, Arrays.copyOf(frame, 3));
    }

    @Test
    void rejectsBodyCutShortInsideAConsistentFrame() {
        WireWriter body = prefix(0x01);
        body.raw(new byte[5]); // group id needs 16 bytes
        assertReason(Reason.TRUNCATED, frame(body));

        WireWriter cutBody = prefix(0).i64(SENT.toEpochMilli()).varint(10).raw(new byte[4]);
        assertReason(Reason.TRUNCATED, frame(cutBody));
    }

    @Test
    void rejectsOversizedBodyLength() {
        WireWriter body = prefix(0).i64(SENT.toEpochMilli()).varint(Message.MAX_BODY_SIZE + 1);
        assertReason(Reason.OVERSIZED, frame(body));
    }

    @Test
    void rejectsOversizedFrame() {
        byte[] frame = new byte[Message.MAX_ENCODED_SIZE + WireFormat.MAX_HEADER_SIZE + 1];
        frame[0] = (byte) WireFormat.MAGIC;
        assertReason(Reason.OVERSIZED, frame);

        WireWriter header = new WireWriter().u8(WireFormat.MAGIC).u8(WireFormat.VERSION).u16(TypeCodes.MESSAGE)
                .varint(Message.MAX_ENCODED_SIZE + 1);
        assertReason(Reason.OVERSIZED, header.toByteArray());
    }

    @Test
    void rejectsUnknownFlags() {
        WireWriter body = prefix(0x02).i64(SENT.toEpochMilli()).bytes(new byte[0], 0);
        assertReason(Reason.MALFORMED, frame(body));
    }

    @Test
    void rejectsNegativeTime() {
        WireWriter body = prefix(0).i64(-1).bytes(new byte[0], 0);
        assertReason(Reason.MALFORMED, frame(body));
    }

    @Test
    void rejectsNonCanonicalBodyLength() {
        WireWriter body = prefix(0).i64(SENT.toEpochMilli()).u8(0x81).u8(0x00).raw(new byte[1]);
        assertReason(Reason.NON_CANONICAL, frame(body));
    }

    @Test
    void rejectsTrailingBytesInsideTheBody() {
        WireWriter body = prefix(0).i64(SENT.toEpochMilli()).bytes(new byte[2], 2).u8(0);
        assertReason(Reason.TRAILING_BYTES, frame(body));
    }

    @Test
    void rejectsBadHeader() {
        byte[] frame = WireFormat.encode(Message.CODEC, Message.of(ID, SENDER, Optional.empty(), SENT, new byte[1]));
        byte[] badMagic = frame.clone();
        badMagic[0] = 0;
        assertReason(Reason.MALFORMED, badMagic);
        byte[] badVersion = frame.clone();
        badVersion[1] = 2;
        assertReason(Reason.UNSUPPORTED_VERSION, badVersion);
        byte[] otherType = frame.clone();
        otherType[3] = (byte) TypeCodes.RECORD;
        assertReason(Reason.WRONG_TYPE, otherType);
    }

    /** id, sender and the flags byte of a message body. */
    private static WireWriter prefix(int flags) {
        WireWriter out = new WireWriter();
        ID.writeTo(out);
        SENDER.writeTo(out);
        out.u8(flags);
        return out;
    }

    private static byte[] frame(WireWriter body) {
        byte[] b = body.toByteArray();
        return new WireWriter().u8(WireFormat.MAGIC).u8(WireFormat.VERSION).u16(TypeCodes.MESSAGE).varint(b.length)
                .raw(b).toByteArray();
    }

    private static void assertReason(Reason expected, byte[] frame) {
        WireFormatException e = assertThrows(WireFormatException.class, () -> WireFormat.decode(Message.CODEC, frame));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
