package org.qdht.onion.core;

import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * The messages an onion circuit carries: a request for the exit relay, with the single-use reply
 * block for its answer, and the reply. Both travel inside fixed-size packets, so they are bounded
 * by the packet's message size; the decoders check every length and reject anything else.
 *
 * <pre>
 *   request: version u8 | kind u8 | request id (16) | reply block (fixed size) | body
 *     GET    body: DhtKey (32)
 *     PUT    body: PublishedRecord
 *     LOOKUP body: NodeId (32) | count u8 (1-32)
 *   reply:   version u8 | request id (16) | status u8 | body
 *     OK      GET: present bool [PublishedRecord] · PUT: copies u32 · LOOKUP: list of PeerInfo (0-32)
 *     REFUSED reason string (0-32) | message string (0-512)
 * </pre>
 */
public final class OnionMessages {
    public static final int VERSION = 1;
    public static final int REQUEST_ID_LENGTH = 16;
    public static final int MAX_LOOKUP_COUNT = 32;
    public static final int MAX_REASON = 32;
    public static final int MAX_MESSAGE = 512;

    public enum Kind {
        GET(1), PUT(2), LOOKUP(3);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) throws WireFormatException {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, 1, "unknown request kind " + code);
        }
    }

    /** A request for the exit relay. */
    public sealed interface Request permits Get, Put, Lookup {
        byte[] requestId();

        Surb replyBlock();
    }

    public record Get(byte[] requestId, Surb replyBlock, DhtKey key) implements Request {
    }

    public record Put(byte[] requestId, Surb replyBlock, PublishedRecord record) implements Request {
    }

    public record Lookup(byte[] requestId, Surb replyBlock, NodeId target, int count) implements Request {
    }

    /** The exit's answer. */
    public sealed interface Reply permits Found, Stored, Peers, Refused {
        byte[] requestId();
    }

    public record Found(byte[] requestId, Optional<PublishedRecord> record) implements Reply {
    }

    public record Stored(byte[] requestId, int copies) implements Reply {
    }

    public record Peers(byte[] requestId, List<PeerInfo> peers) implements Reply {
    }

    /** The exit could not do it: the reason is a {@link org.qdht.api.routing.DhtException.Reason} name. */
    public record Refused(byte[] requestId, String reason, String message) implements Reply {
    }

    private static final int OK = 0;
    private static final int REFUSED = 1;

    private OnionMessages() {
    }

    public static byte[] encode(Request request) {
        WireWriter out = new WireWriter(16_384);
        out.u8(VERSION);
        Kind kind = request instanceof Get ? Kind.GET : request instanceof Put ? Kind.PUT : Kind.LOOKUP;
        out.u8(kind.code);
        out.fixed(request.requestId(), REQUEST_ID_LENGTH);
        request.replyBlock().writeTo(out);
        if (request instanceof Get g) {
            g.key().writeTo(out);
        } else if (request instanceof Put p) {
            p.record().writeTo(out);
        } else if (request instanceof Lookup l) {
            l.target().writeTo(out);
            out.u8(l.count());
        }
        return out.toByteArray();
    }

    /** @throws WireFormatException for anything but one well-formed request with nothing after it */
    public static Request decodeRequest(byte[] bytes, PacketFormat format) throws WireFormatException {
        WireReader in = new WireReader(bytes);
        version(in);
        Kind kind = Kind.of(in.u8("request kind"));
        byte[] id = in.fixed(REQUEST_ID_LENGTH, "request id");
        Surb surb = Surb.readFrom(in, format);
        Request request;
        switch (kind) {
            case GET -> request = new Get(id, surb, DhtKey.readFrom(in));
            case PUT -> request = new Put(id, surb, PublishedRecord.readFrom(in));
            default -> {
                NodeId target = NodeId.readFrom(in);
                int count = in.u8("lookup count");
                if (count < 1 || count > MAX_LOOKUP_COUNT) {
                    throw new WireFormatException(WireFormatException.Reason.MALFORMED, in.position(), "lookup count " + count
                            + " is not 1-" + MAX_LOOKUP_COUNT);
                }
                request = new Lookup(id, surb, target, count);
            }
        }
        in.expectEnd("onion request");
        return request;
    }

    public static byte[] encode(Reply reply) {
        WireWriter out = new WireWriter(8_192);
        out.u8(VERSION);
        out.fixed(reply.requestId(), REQUEST_ID_LENGTH);
        if (reply instanceof Refused r) {
            out.u8(REFUSED).string(r.reason(), MAX_REASON).string(truncate(r.message()), MAX_MESSAGE);
            return out.toByteArray();
        }
        out.u8(OK);
        if (reply instanceof Found f) {
            out.bool(f.record().isPresent());
            f.record().ifPresent(r -> r.writeTo(out));
        } else if (reply instanceof Stored s) {
            out.u32(s.copies());
        } else if (reply instanceof Peers p) {
            out.list(p.peers(), MAX_LOOKUP_COUNT, PeerInfo::writeTo);
        }
        return out.toByteArray();
    }

    /**
     * @param expected what the request asked, which decides how an OK body reads
     * @throws WireFormatException for anything but one well-formed reply with nothing after it
     */
    public static Reply decodeReply(byte[] bytes, Kind expected) throws WireFormatException {
        WireReader in = new WireReader(bytes);
        version(in);
        byte[] id = in.fixed(REQUEST_ID_LENGTH, "request id");
        int status = in.u8("reply status");
        Reply reply;
        if (status == REFUSED) {
            reply = new Refused(id, in.string(MAX_REASON, "refusal reason"), in.string(MAX_MESSAGE, "refusal message"));
        } else if (status != OK) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, in.position(), "unknown reply status " + status);
        } else {
            reply = switch (expected) {
                case GET -> new Found(id, in.bool("record present") ? Optional.of(PublishedRecord.readFrom(in)) : Optional.empty());
                case PUT -> new Stored(id, (int) Math.min(Integer.MAX_VALUE, in.u32("copies")));
                case LOOKUP -> new Peers(id, in.list(MAX_LOOKUP_COUNT, "peers", PeerInfo::readFrom));
            };
        }
        in.expectEnd("onion reply");
        return reply;
    }

    private static void version(WireReader in) throws WireFormatException {
        int version = in.u8("message version");
        if (version != VERSION) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, 0, "unknown onion message version " + version);
        }
    }

    private static String truncate(String message) {
        String m = message == null ? "" : message;
        return m.length() > 120 ? m.substring(0, 120) : m;
    }
}
