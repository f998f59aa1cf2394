package org.qdht.api.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * One direct or group message in plaintext, as the sender wrote it and the recipient reads it. The
 * messaging provider encrypts the encoding end to end; the sender is the authenticated identity of
 * the peer that sealed it, {@link #sentAt()} is the sender's clock and only informative.
 *
 * <p>Limits: body 0-{@value #MAX_BODY_SIZE} bytes; {@link #sentAt()} not before 1970 and kept to the
 * millisecond. Encoding ({@link #CODEC}, type {@link TypeCodes#MESSAGE}):
 * <pre>
 *   id      16 bytes
 *   sender  32 bytes
 *   flags   u8      bit 0: group present; other bits zero
 *   group   16 bytes, only if flag bit 0
 *   sentAt  i64     milliseconds since the epoch, not negative
 *   body    varint length + bytes
 * </pre>
 * Immutable and thread safe.
 */
public final class Message {
    public static final int MAX_BODY_SIZE = 65_536;
    /** Largest body of a {@link #CODEC} frame. */
    public static final int MAX_ENCODED_SIZE = MessageId.LENGTH + NodeId.LENGTH + 1 + GroupId.LENGTH + 8 + 3
            + MAX_BODY_SIZE;

    private static final int FLAG_GROUP = 0x01;

    public static final WireCodec<Message> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.MESSAGE;
        }

        @Override
        public int maxBodySize() {
            return MAX_ENCODED_SIZE;
        }

        @Override
        public void write(Message value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public Message read(WireReader in) throws WireFormatException {
            return Message.readFrom(in);
        }
    };

    private final MessageId id;
    private final NodeId sender;
    private final Optional<GroupId> group;
    private final long sentAtMillis;
    private final byte[] body;

    private Message(MessageId id, NodeId sender, Optional<GroupId> group, long sentAtMillis, byte[] body) {
        this.id = id;
        this.sender = sender;
        this.group = group;
        this.sentAtMillis = sentAtMillis;
        this.body = body;
    }

    /**
     * @param group empty for a direct message
     * @param sentAt truncated to the millisecond
     * @throws IllegalArgumentException for a null argument, a time before 1970 or too far in the
     *         future to count in milliseconds, or a body above {@value #MAX_BODY_SIZE} bytes
     */
    public static Message of(MessageId id, NodeId sender, Optional<GroupId> group, Instant sentAt, byte[] body) {
        if (id == null || sender == null || group == null || sentAt == null || body == null) {
            throw new IllegalArgumentException("message fields must not be null (use Optional.empty() for no group)");
        }
        if (body.length > MAX_BODY_SIZE) {
            throw new IllegalArgumentException("message body is " + body.length + " bytes, maximum " + MAX_BODY_SIZE);
        }
        if (sentAt.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("message time must not be before 1970: " + sentAt);
        }
        long millis;
        try {
            millis = sentAt.truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("message time is too far in the future: " + sentAt);
        }
        return new Message(id, sender, group, millis, body.clone());
    }

    public MessageId id() {
        return id;
    }

    public NodeId sender() {
        return sender;
    }

    /** The group the message was sent to; empty for a direct message. */
    public Optional<GroupId> group() {
        return group;
    }

    public Instant sentAt() {
        return Instant.ofEpochMilli(sentAtMillis);
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    public int bodySize() {
        return body.length;
    }

    public void writeTo(WireWriter out) {
        id.writeTo(out);
        sender.writeTo(out);
        out.u8(group.isPresent() ? FLAG_GROUP : 0);
        group.ifPresent(g -> g.writeTo(out));
        out.i64(sentAtMillis);
        out.bytes(body, MAX_BODY_SIZE);
    }

    public static Message readFrom(WireReader in) throws WireFormatException {
        MessageId id = MessageId.readFrom(in);
        NodeId sender = NodeId.readFrom(in);
        int at = in.position();
        int flags = in.u8("message flags");
        if ((flags & ~FLAG_GROUP) != 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "unknown message flags " + flags);
        }
        Optional<GroupId> group = (flags & FLAG_GROUP) != 0 ? Optional.of(GroupId.readFrom(in)) : Optional.empty();
        at = in.position();
        long sentAt = in.i64("message time");
        if (sentAt < 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "message time must not be negative");
        }
        byte[] body = in.bytes(MAX_BODY_SIZE, "message body");
        return new Message(id, sender, group, sentAt, body);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Message)) {
            return false;
        }
        Message m = (Message) o;
        return id.equals(m.id) && sender.equals(m.sender) && group.equals(m.group) && sentAtMillis == m.sentAtMillis
                && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Message[" + id.toHex() + " from " + sender.toShortString()
                + group.map(g -> " to group " + g.toHex()).orElse("") + " at " + sentAt() + ", " + body.length + " B]";
    }
}
