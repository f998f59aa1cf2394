package org.qdht.kademlia.core;

import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireFormatException.Reason;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.FindNode;
import org.qdht.kademlia.core.DhtMessage.FindValue;
import org.qdht.kademlia.core.DhtMessage.Nodes;
import org.qdht.kademlia.core.DhtMessage.Outcome;
import org.qdht.kademlia.core.DhtMessage.Ping;
import org.qdht.kademlia.core.DhtMessage.Pong;
import org.qdht.kademlia.core.DhtMessage.Sender;
import org.qdht.kademlia.core.DhtMessage.Store;
import org.qdht.kademlia.core.DhtMessage.Value;

/**
 * Wire format of {@link DhtMessage}: {@code u8 version (1) | u8 type | u32 request id | body}.
 * Every list and byte string has a maximum checked before anything is allocated, the whole message
 * is at most {@value #MAX_MESSAGE_SIZE} bytes, and trailing bytes are refused, so each message has
 * exactly one encoding. Stateless.
 */
public final class DhtMessages {
    public static final int VERSION = 1;
    /**
     * A value answer with the largest record and a full list of peers fits (header, record flag,
     * record, peer count, peers); nothing else needs more.
     */
    public static final int MAX_MESSAGE_SIZE = 6 + 1 + PublishedRecord.MAX_ENCODED_SIZE + 1
            + KademliaParameters.MAX_K * PeerInfo.MAX_ENCODED_SIZE;
    /** Longest explanation in an {@link Outcome}. */
    public static final int MAX_DETAIL_BYTES = 200;

    private static final int PING = 1;
    private static final int PONG = 2;
    private static final int FIND_NODE = 3;
    private static final int NODES = 4;
    private static final int FIND_VALUE = 5;
    private static final int VALUE = 6;
    private static final int STORE = 7;
    private static final int OUTCOME = 8;

    private DhtMessages() {
    }

    public static byte[] encode(DhtMessage message) {
        WireWriter out = new WireWriter(256);
        out.u8(VERSION);
        if (message instanceof Ping m) {
            header(out, PING, m.requestId());
            writeSender(out, m.sender());
        } else if (message instanceof Pong m) {
            header(out, PONG, m.requestId());
        } else if (message instanceof FindNode m) {
            header(out, FIND_NODE, m.requestId());
            writeSender(out, m.sender());
            m.target().writeTo(out);
            out.u8(m.count());
        } else if (message instanceof Nodes m) {
            header(out, NODES, m.requestId());
            out.list(m.peers(), KademliaParameters.MAX_K, PeerInfo::writeTo);
        } else if (message instanceof FindValue m) {
            header(out, FIND_VALUE, m.requestId());
            writeSender(out, m.sender());
            m.key().writeTo(out);
            out.u8(m.count());
        } else if (message instanceof Value m) {
            header(out, VALUE, m.requestId());
            out.bool(m.record().isPresent());
            m.record().ifPresent(r -> r.writeTo(out));
            out.list(m.closer(), KademliaParameters.MAX_K, PeerInfo::writeTo);
        } else if (message instanceof Store m) {
            header(out, STORE, m.requestId());
            writeSender(out, m.sender());
            m.record().writeTo(out);
        } else if (message instanceof Outcome m) {
            header(out, OUTCOME, m.requestId());
            out.string(m.refusal().orElse(""), 32);
            out.string(truncate(m.detail()), MAX_DETAIL_BYTES);
        }
        return out.toByteArray();
    }

    /** Decodes one message. @throws WireFormatException naming the field that is wrong */
    public static DhtMessage decode(byte[] bytes) throws WireFormatException {
        if (bytes.length > MAX_MESSAGE_SIZE) {
            throw new WireFormatException(Reason.OVERSIZED, 0, "DHT message of " + bytes.length + " bytes, maximum " + MAX_MESSAGE_SIZE);
        }
        WireReader in = new WireReader(bytes);
        int version = in.u8("version");
        if (version != VERSION) {
            throw new WireFormatException(Reason.UNSUPPORTED_VERSION, 0, "DHT message version " + version);
        }
        int typeAt = in.position();
        int type = in.u8("type");
        int requestId = (int) in.u32("request id");
        DhtMessage message;
        switch (type) {
            case PING -> message = new Ping(requestId, readSender(in));
            case PONG -> message = new Pong(requestId);
            case FIND_NODE -> message = new FindNode(requestId, readSender(in), NodeId.readFrom(in), readCount(in));
            case NODES -> message = new Nodes(requestId, in.list(KademliaParameters.MAX_K, "peers", PeerInfo::readFrom));
            case FIND_VALUE -> message = new FindValue(requestId, readSender(in), DhtKey.readFrom(in), readCount(in));
            case VALUE -> {
                Optional<PublishedRecord> record = in.bool("has record") ? Optional.of(PublishedRecord.readFrom(in)) : Optional.empty();
                message = new Value(requestId, record, in.list(KademliaParameters.MAX_K, "closer peers", PeerInfo::readFrom));
            }
            case STORE -> message = new Store(requestId, readSender(in), PublishedRecord.readFrom(in));
            case OUTCOME -> message = readOutcome(in, requestId);
            default -> throw new WireFormatException(Reason.WRONG_TYPE, typeAt, "unknown DHT message type " + type);
        }
        in.expectEnd("DHT message");
        return message;
    }

    /** Whether {@code message} answers a request (rather than asking one). */
    public static boolean isAnswer(DhtMessage message) {
        return message instanceof Answer;
    }

    private static void header(WireWriter out, int type, int requestId) {
        out.u8(type).u32(requestId & 0xFFFFFFFFL);
    }

    private static void writeSender(WireWriter out, Sender sender) {
        out.bool(sender.server());
        out.list(sender.addresses(), PeerInfo.MAX_ADDRESSES, PeerAddress::writeTo);
    }

    private static Sender readSender(WireReader in) throws WireFormatException {
        boolean server = in.bool("server flag");
        return new Sender(server, in.list(PeerInfo.MAX_ADDRESSES, "sender addresses", PeerAddress::readFrom));
    }

    private static int readCount(WireReader in) throws WireFormatException {
        int at = in.position();
        int count = in.u8("count");
        if (count < 1 || count > KademliaParameters.MAX_K) {
            throw new WireFormatException(Reason.MALFORMED, at, "count must be 1-" + KademliaParameters.MAX_K + ", got " + count);
        }
        return count;
    }

    private static Outcome readOutcome(WireReader in, int requestId) throws WireFormatException {
        int at = in.position();
        String refusal = in.string(32, "refusal");
        if (!refusal.isEmpty()) {
            try {
                DhtException.Reason.valueOf(refusal);
            } catch (IllegalArgumentException e) {
                throw new WireFormatException(Reason.MALFORMED, at, "unknown refusal reason");
            }
        }
        String detail = in.string(MAX_DETAIL_BYTES, "detail");
        return new Outcome(requestId, refusal.isEmpty() ? Optional.empty() : Optional.of(refusal), detail);
    }

    /** The longest prefix of {@code detail} that fits in {@link #MAX_DETAIL_BYTES}, never ending in half a character. */
    private static String truncate(String detail) {
        String d = detail == null ? "" : detail;
        if (d.length() > MAX_DETAIL_BYTES) {
            d = d.substring(0, MAX_DETAIL_BYTES); // every char takes at least one byte: nothing that fits is lost
        }
        while (d.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_DETAIL_BYTES) {
            d = d.substring(0, d.length() - 1);
        }
        if (!d.isEmpty() && Character.isHighSurrogate(d.charAt(d.length() - 1))) {
            d = d.substring(0, d.length() - 1); // alone, it would be encoded as '?'
        }
        return d;
    }
}
