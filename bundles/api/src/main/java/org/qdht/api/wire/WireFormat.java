package org.qdht.api.wire;

import org.qdht.api.wire.WireFormatException.Reason;

/**
 * Frames values for the wire: magic, format version, type code and body length (see the package
 * documentation for the layout). Stateless and thread safe.
 */
public final class WireFormat {
    /** First byte of every frame. */
    public static final int MAGIC = 0x71;
    /** The format version this bundle writes and reads. */
    public static final int VERSION = 1;
    /** Largest frame header: magic, version, type and a five-byte varint. */
    public static final int MAX_HEADER_SIZE = 1 + 1 + 2 + 5;

    private WireFormat() {
    }

    /** Encodes {@code value} as one frame. */
    public static <T> byte[] encode(WireCodec<T> codec, T value) {
        WireWriter body = new WireWriter();
        codec.write(value, body);
        if (body.size() > codec.maxBodySize()) {
            throw new IllegalStateException("codec for type " + codec.typeCode() + " wrote " + body.size()
                    + " bytes, above its maximum of " + codec.maxBodySize());
        }
        WireWriter frame = new WireWriter(body.size() + MAX_HEADER_SIZE);
        frame.u8(MAGIC).u8(VERSION).u16(codec.typeCode()).varint(body.size()).raw(body.toByteArray());
        return frame.toByteArray();
    }

    /**
     * Decodes one frame holding exactly one value of the codec's type.
     *
     * @throws WireFormatException if the frame is truncated, oversized, of another type or version,
     *         malformed, or followed by extra bytes
     */
    public static <T> T decode(WireCodec<T> codec, byte[] frame) throws WireFormatException {
        if (frame.length > codec.maxBodySize() + MAX_HEADER_SIZE) {
            throw new WireFormatException(Reason.OVERSIZED, 0, "frame of " + frame.length
                    + " bytes exceeds the maximum for type " + codec.typeCode());
        }
        WireReader in = new WireReader(frame);
        int magic = in.u8("magic");
        if (magic != MAGIC) {
            throw new WireFormatException(Reason.MALFORMED, 0, "not a qDHT frame (magic " + magic + ")");
        }
        int version = in.u8("version");
        if (version != VERSION) {
            throw new WireFormatException(Reason.UNSUPPORTED_VERSION, 1, "frame version " + version
                    + " is not supported (this node reads version " + VERSION + ")");
        }
        int type = in.u16("type");
        if (type != codec.typeCode()) {
            throw new WireFormatException(Reason.WRONG_TYPE, 2, "expected type " + codec.typeCode() + ", found " + type);
        }
        int lengthAt = in.position();
        int length = in.varint("body length");
        if (length > codec.maxBodySize()) {
            throw new WireFormatException(Reason.OVERSIZED, lengthAt, "body of " + length + " bytes exceeds the maximum of "
                    + codec.maxBodySize() + " for type " + type);
        }
        if (length != in.remaining()) {
            Reason reason = length > in.remaining() ? Reason.TRUNCATED : Reason.TRAILING_BYTES;
            throw new WireFormatException(reason, lengthAt, "body length " + length + " but " + in.remaining() + " bytes follow");
        }
        WireReader body = new WireReader(frame, in.position(), length);
        T value = codec.read(body);
        body.expectEnd("type " + type);
        return value;
    }

    /**
     * Reads the type code of a frame without decoding it, so a receiver can dispatch.
     *
     * @throws WireFormatException if the header is truncated or not a qDHT frame of a known version
     */
    public static int peekType(byte[] frame) throws WireFormatException {
        WireReader in = new WireReader(frame);
        if (in.u8("magic") != MAGIC) {
            throw new WireFormatException(Reason.MALFORMED, 0, "not a qDHT frame");
        }
        int version = in.u8("version");
        if (version != VERSION) {
            throw new WireFormatException(Reason.UNSUPPORTED_VERSION, 1, "frame version " + version + " is not supported");
        }
        return in.u16("type");
    }
}
