package org.qdht.api.wire;

import java.io.IOException;

/**
 * Input that does not follow the wire format. Thrown by decoders for truncated, oversized,
 * malformed or non-canonical input; the {@link #reason()} lets a node count rejections by kind.
 * The message names the field and the byte offset, never the secret content of the input.
 */
public final class WireFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the input was rejected. */
    /** Why the operation failed, for callers that react differently and for per-reason counters. */
    public enum Reason {
        /** The input ended before a field was complete. */
        TRUNCATED,
        /** A length, count or total size is above its declared maximum. */
        OVERSIZED,
        /** A field has a value the format does not allow (bad magic, flag, UTF-8, range). */
        MALFORMED,
        /** A varint is not in its shortest form, so the encoding is not canonical. */
        NON_CANONICAL,
        /** The frame's format version is not one this decoder reads. */
        UNSUPPORTED_VERSION,
        /** The frame holds a different type than the one asked for. */
        WRONG_TYPE,
        /** Bytes are left over after the value. */
        TRAILING_BYTES
    }

    private final Reason reason;
    private final int offset;

    public WireFormatException(Reason reason, int offset, String message) {
        super(message + " (" + reason + " at byte " + offset + ")");
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** Offset in the input where the problem was found. */
    public int offset() {
        return offset;
    }
}
