package org.qdht.api.wire;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Encodes and decodes one value type as the body of a frame. Every value type of the API has a
 * {@code CODEC} constant; third-party bundles write codecs for their own types.
 *
 * <p>Contract: {@link #write} never produces more than {@link #maxBodySize()} bytes for a valid
 * value, {@link #read} consumes exactly the bytes {@code write} produced, and
 * {@code read(write(v)).equals(v)}. Codecs are stateless and safe to share between threads.
 *
 * @param <T> the value type
 */
@ConsumerType
public interface WireCodec<T> {
    /**
     * Type code written in the frame header. 0x0001-0x0FFF are assigned by the API bundle
     * ({@link TypeCodes}); third parties use 0xF000-0xFFFE.
     */
    int typeCode();

    /** Largest body this codec writes or accepts, in bytes. */
    int maxBodySize();

    /** Writes {@code value}; the value has already been validated by its constructor. */
    void write(T value, WireWriter out);

    /** Reads one value, checking every size limit before it allocates. */
    T read(WireReader in) throws WireFormatException;
}
