package org.qdht.api.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.qdht.api.wire.WireFormatException.Reason;

/**
 * Reads wire-format fields from a byte array, checking every length against both its declared
 * maximum and the bytes actually left, so that hostile input can neither read past the end nor
 * make the reader allocate more than the input's own size. Not thread safe.
 */
public final class WireReader {
    private final byte[] input;
    private final int end;
    private int position;

    /** Reads {@code input} from its first to its last byte. The array is not copied: do not change it while reading. */
    public WireReader(byte[] input) {
        this(input, 0, input.length);
    }

    public WireReader(byte[] input, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > input.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        this.input = input;
        this.position = offset;
        this.end = offset + length;
    }

    public int remaining() {
        return end - position;
    }

    public int position() {
        return position;
    }

    public int u8(String field) throws WireFormatException {
        require(1, field);
        return input[position++] & 0xFF;
    }

    public int u16(String field) throws WireFormatException {
        require(2, field);
        int value = ((input[position] & 0xFF) << 8) | (input[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    public long u32(String field) throws WireFormatException {
        require(4, field);
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (input[position++] & 0xFF);
        }
        return value;
    }

    public long i64(String field) throws WireFormatException {
        require(8, field);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (input[position++] & 0xFF);
        }
        return value;
    }

    public boolean bool(String field) throws WireFormatException {
        int start = position;
        int value = u8(field);
        if (value > 1) {
            throw new WireFormatException(Reason.MALFORMED, start, field + " must be 0 or 1, was " + value);
        }
        return value == 1;
    }

    /** Reads a shortest-form unsigned LEB128 varint of at most five bytes and 2^31-1. */
    public int varint(String field) throws WireFormatException {
        int start = position;
        long value = 0;
        for (int i = 0; i < 5; i++) {
            require(1, field);
            int b = input[position++] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i > 0 && b == 0) {
                    throw new WireFormatException(Reason.NON_CANONICAL, start, field + " varint is not in its shortest form");
                }
                if (value > Integer.MAX_VALUE) {
                    throw new WireFormatException(Reason.OVERSIZED, start, field + " varint exceeds 2^31-1");
                }
                return (int) value;
            }
        }
        throw new WireFormatException(Reason.MALFORMED, start, field + " varint is longer than five bytes");
    }

    /** Reads exactly {@code length} bytes. */
    public byte[] fixed(int length, String field) throws WireFormatException {
        require(length, field);
        byte[] out = Arrays.copyOfRange(input, position, position + length);
        position += length;
        return out;
    }

    /** Reads a varint length, at most {@code maxLength}, and that many bytes. */
    public byte[] bytes(int maxLength, String field) throws WireFormatException {
        int length = length(maxLength, field);
        return fixed(length, field);
    }

    /** Reads a length-prefixed UTF-8 string, rejecting malformed UTF-8. */
    public String string(int maxUtf8Bytes, String field) throws WireFormatException {
        int start = position;
        byte[] utf8 = bytes(maxUtf8Bytes, field);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new WireFormatException(Reason.MALFORMED, start, field + " is not valid UTF-8");
        }
    }

    /** Reads one element of a list; see {@link #list}. */
    @FunctionalInterface
    public interface ElementReader<T> {
        T read(WireReader in) throws WireFormatException;
    }

    /**
     * Reads a varint count, at most {@code maxCount}, and that many elements. Every element takes
     * at least one byte, so the count is also checked against the bytes left before any list is built.
     */
    public <T> List<T> list(int maxCount, String field, ElementReader<T> element) throws WireFormatException {
        int start = position;
        int count = varint(field + " count");
        if (count > maxCount) {
            throw new WireFormatException(Reason.OVERSIZED, start, field + " has " + count + " elements, maximum " + maxCount);
        }
        if (count > remaining()) {
            throw new WireFormatException(Reason.TRUNCATED, start, field + " announces " + count + " elements but only " + remaining() + " bytes follow");
        }
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(element.read(this));
        }
        return out;
    }

    /** Fails unless every byte has been read. */
    public void expectEnd(String what) throws WireFormatException {
        if (position != end) {
            throw new WireFormatException(Reason.TRAILING_BYTES, position, remaining() + " bytes after the end of " + what);
        }
    }

    private int length(int maxLength, String field) throws WireFormatException {
        int start = position;
        int length = varint(field + " length");
        if (length > maxLength) {
            throw new WireFormatException(Reason.OVERSIZED, start, field + " is " + length + " bytes, maximum " + maxLength);
        }
        return length;
    }

    private void require(int count, String field) throws WireFormatException {
        if (count > end - position) {
            throw new WireFormatException(Reason.TRUNCATED, position, field + " needs " + count + " bytes, " + (end - position) + " left");
        }
    }
}
