package org.qdht.fl.fedavg.internal;

import org.qdht.api.learning.ModelId;
import org.qdht.api.learning.TrainingPlan;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * The messages of a training round between a master and its clients (protocol
 * {@link org.qdht.api.channel.Protocols#LEARNING}). Models travel as chunks in the DHT; a client's
 * update goes to the master only, inside the secure channel, in parts. Every decoder checks lengths
 * and ranges and refuses trailing bytes.
 *
 * <pre>
 *   version u8 (1) | kind u8 | run id i64 | round u32 | body
 *   INVITE  model (string) | version i64 | epochs u16 | batch u32 | learning rate (f64 bits) | seed i64
 *   ACCEPT  samples u32
 *   TRAIN   secure bool | client id u16 | cohort samples u32 | clip norm (f64 bits)
 *   SECAGG  message no u16 | part u16 | parts u16 (1-64) | bytes (1-196,608): a secure aggregation message
 *           (fl-secagg's codec) between a client and the master, in parts
 *   UPDATE  base version i64 | samples u32 | part u16 | parts u16 (1-64) | bytes (1-196,608): the delta as
 *           little-endian float32, cut into parts that each fit one UDP message
 *   DECLINE reason (string, 0-200)
 * </pre>
 */
final class FlMessages {
    static final int VERSION = 1;
    static final int MAX_PARTS = 64;
    static final int MAX_PART_BYTES = 196_608;
    static final int MAX_REASON = 200;

    sealed interface Message permits Invite, Accept, Train, Update, Decline, SecAgg {
        long runId();

        int round();
    }

    record Invite(long runId, int round, ModelId model, long modelVersion, TrainingPlan plan) implements Message {
    }

    record Accept(long runId, int round, int samples) implements Message {
    }

    /**
     * @param secure       whether the update goes through secure aggregation
     * @param clientId     the client's id in the round's secure aggregation
     * @param cohortSamples the chosen clients' samples together, for weighting under secure aggregation
     * @param clipNorm     L2 bound the client clips its update to under DP (0: no clipping)
     */
    record Train(long runId, int round, boolean secure, int clientId, long cohortSamples, double clipNorm) implements Message {
    }

    record SecAgg(long runId, int round, int messageNo, int part, int parts, byte[] bytes) implements Message {
    }

    record Update(long runId, int round, long baseVersion, int samples, int part, int parts, byte[] bytes) implements Message {
    }

    record Decline(long runId, int round, String reason) implements Message {
    }

    private static final int INVITE = 1;
    private static final int ACCEPT = 2;
    private static final int TRAIN = 3;
    private static final int UPDATE = 4;
    private static final int DECLINE = 5;
    private static final int SECAGG = 6;

    private FlMessages() {
    }

    static byte[] encode(Message m) {
        WireWriter out = new WireWriter(256);
        out.u8(VERSION);
        int kind = m instanceof Invite ? INVITE : m instanceof Accept ? ACCEPT : m instanceof Train ? TRAIN : m instanceof Update ? UPDATE
                : m instanceof SecAgg ? SECAGG : DECLINE;
        out.u8(kind).i64(m.runId()).u32(m.round());
        if (m instanceof Invite i) {
            i.model().writeTo(out);
            out.i64(i.modelVersion()).u16(i.plan().epochs()).u32(i.plan().batchSize())
                    .i64(Double.doubleToLongBits(i.plan().learningRate())).i64(i.plan().seed());
        } else if (m instanceof Accept a) {
            out.u32(a.samples());
        } else if (m instanceof Train t) {
            out.bool(t.secure()).u16(t.clientId()).u32(t.cohortSamples()).i64(Double.doubleToLongBits(t.clipNorm()));
        } else if (m instanceof SecAgg x) {
            out.u16(x.messageNo()).u16(x.part()).u16(x.parts()).bytes(x.bytes(), MAX_PART_BYTES);
        } else if (m instanceof Update u) {
            out.i64(u.baseVersion()).u32(u.samples()).u16(u.part()).u16(u.parts()).bytes(u.bytes(), MAX_PART_BYTES);
        } else if (m instanceof Decline d) {
            out.string(d.reason().length() > 100 ? d.reason().substring(0, 100) : d.reason(), MAX_REASON);
        }
        return out.toByteArray();
    }

    static Message decode(byte[] bytes) throws WireFormatException {
        WireReader in = new WireReader(bytes);
        if (in.u8("version") != VERSION) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, 0, "unknown learning message version");
        }
        int kind = in.u8("kind");
        long runId = in.i64("run id");
        long round = in.u32("round");
        if (round < 1 || round > Integer.MAX_VALUE) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, in.position(), "round " + round + " out of range");
        }
        int r = (int) round;
        Message m = switch (kind) {
            case INVITE -> invite(in, runId, r);
            case ACCEPT -> new Accept(runId, r, count(in, "samples"));
            case TRAIN -> {
                boolean secure = in.bool("secure");
                int id = in.u16("client id");
                long samples = in.u32("cohort samples");
                double clip = Double.longBitsToDouble(in.i64("clip norm"));
                if (!(clip >= 0) || Double.isInfinite(clip)) {
                    throw new WireFormatException(WireFormatException.Reason.MALFORMED, in.position(), "clip norm " + clip);
                }
                yield new Train(runId, r, secure, id, samples, clip);
            }
            case SECAGG -> {
                int no = in.u16("message no");
                int part = in.u16("part");
                int parts = in.u16("parts");
                byte[] body = in.bytes(MAX_PART_BYTES, "secure aggregation bytes");
                if (parts < 1 || parts > MAX_PARTS || part >= parts || body.length == 0) {
                    throw new WireFormatException(WireFormatException.Reason.MALFORMED, in.position(), "secure aggregation part " + part + "/" + parts);
                }
                yield new SecAgg(runId, r, no, part, parts, body);
            }
            case UPDATE -> {
                long base = in.i64("base version");
                int samples = count(in, "samples");
                int part = in.u16("part");
                int parts = in.u16("parts");
                byte[] body = in.bytes(MAX_PART_BYTES, "update bytes");
                if (base < 0 || parts < 1 || parts > MAX_PARTS || part >= parts || body.length == 0 || body.length % 4 != 0) {
                    throw new WireFormatException(WireFormatException.Reason.MALFORMED, in.position(), "update part " + part + "/" + parts
                            + " of " + body.length + " bytes is malformed");
                }
                yield new Update(runId, r, base, samples, part, parts, body);
            }
            case DECLINE -> new Decline(runId, r, in.string(MAX_REASON, "reason"));
            default -> throw new WireFormatException(WireFormatException.Reason.MALFORMED, 1, "unknown learning message kind " + kind);
        };
        in.expectEnd("learning message");
        return m;
    }

    private static Invite invite(WireReader in, long runId, int round) throws WireFormatException {
        ModelId model = ModelId.readFrom(in);
        long version = in.i64("model version");
        int epochs = in.u16("epochs");
        long batch = in.u32("batch size");
        double rate = Double.longBitsToDouble(in.i64("learning rate"));
        long seed = in.i64("seed");
        try {
            if (version < 0 || batch > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("version or batch size out of range");
            }
            return new Invite(runId, round, model, version, new TrainingPlan(epochs, (int) batch, rate, seed));
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, in.position(), e.getMessage());
        }
    }

    private static int count(WireReader in, String field) throws WireFormatException {
        long n = in.u32(field);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, in.position(), field + " " + n + " out of range");
        }
        return (int) n;
    }
}
