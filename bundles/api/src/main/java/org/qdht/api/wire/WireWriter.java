package org.qdht.api.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * Appends wire-format fields to a growing buffer. Not thread safe: one writer per encoding.
 *
 * <p>Every variable-length write takes the field's maximum and throws
 * {@link IllegalArgumentException} when the value exceeds it: encoding a value that no peer would
 * accept is a caller error, caught before anything is sent.
 */
public final class WireWriter {
    private byte[] buffer;
    private int size;

    public WireWriter() {
        this(64);
    }

    public WireWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    public WireWriter u8(int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("u8 out of range: " + value);
        }
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public WireWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + value);
        }
        ensure(2);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
        return this;
    }

    public WireWriter u32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("u32 out of range: " + value);
        }
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Writes a signed 64-bit integer as eight big-endian bytes. */
    public WireWriter i64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public WireWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    /** Writes an unsigned LEB128 varint in its shortest form. */
    public WireWriter varint(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint must not be negative: " + value);
        }
        ensure(5);
        int v = value;
        while ((v & ~0x7F) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
        return this;
    }

    /** Writes exactly {@code expectedLength} bytes without a length prefix. */
    public WireWriter fixed(byte[] bytes, int expectedLength) {
        if (bytes.length != expectedLength) {
            throw new IllegalArgumentException("expected " + expectedLength + " bytes, got " + bytes.length);
        }
        return raw(bytes);
    }

    /** Writes a varint length followed by the bytes. */
    public WireWriter bytes(byte[] bytes, int maxLength) {
        if (bytes.length > maxLength) {
            throw new IllegalArgumentException(bytes.length + " bytes exceed the field maximum of " + maxLength);
        }
        varint(bytes.length);
        return raw(bytes);
    }

    /** Writes a UTF-8 string with a varint byte length. */
    public WireWriter string(String value, int maxUtf8Bytes) {
        return bytes(value.getBytes(StandardCharsets.UTF_8), maxUtf8Bytes);
    }

    /** Writes a varint count followed by each element. */
    public <T> WireWriter list(Collection<T> values, int maxCount, BiConsumer<T, WireWriter> element) {
        if (values.size() > maxCount) {
            throw new IllegalArgumentException(values.size() + " elements exceed the maximum of " + maxCount);
        }
        varint(values.size());
        for (T value : values) {
            element.accept(value, this);
        }
        return this;
    }

    /** Writes bytes as they are. */
    public WireWriter raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    public int size() {
        return size;
    }

    /** A copy of what has been written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            int wanted = Math.max(buffer.length * 2, size + extra);
            buffer = Arrays.copyOf(buffer, wanted);
        }
    }
}
