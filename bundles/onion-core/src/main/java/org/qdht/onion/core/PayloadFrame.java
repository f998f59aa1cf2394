package org.qdht.onion.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * The plaintext of a payload: {@value #ZERO_PREFIX} zero bytes, the message length (u32), the
 * message, zeros up to the payload size. The zero prefix is the tag check: after the wide-block
 * cipher a changed bit anywhere leaves 128 random bits there instead of zeros.
 */
final class PayloadFrame {
    static final int ZERO_PREFIX = 16;
    static final int OVERHEAD = ZERO_PREFIX + 4;

    private PayloadFrame() {
    }

    static byte[] frame(byte[] message, int payloadSize) throws OnionException {
        if (message.length > payloadSize - OVERHEAD) {
            throw new OnionException(OnionException.Reason.TOO_LARGE, "message of " + message.length
                    + " bytes does not fit a payload of " + payloadSize + " bytes (at most " + (payloadSize - OVERHEAD) + ")");
        }
        byte[] out = new byte[payloadSize];
        int at = ZERO_PREFIX;
        out[at++] = (byte) (message.length >>> 24);
        out[at++] = (byte) (message.length >>> 16);
        out[at++] = (byte) (message.length >>> 8);
        out[at++] = (byte) message.length;
        System.arraycopy(message, 0, out, OVERHEAD, message.length);
        return out;
    }

    /** The message, or empty if the prefix, the length or the padding is wrong (a tagged payload). */
    static Optional<byte[]> open(byte[] payload, int payloadSize) {
        if (payload == null || payload.length != payloadSize) {
            return Optional.empty();
        }
        int nonZero = 0;
        for (int i = 0; i < ZERO_PREFIX; i++) {
            nonZero |= payload[i];
        }
        if (nonZero != 0) {
            return Optional.empty();
        }
        long length = 0;
        for (int i = ZERO_PREFIX; i < OVERHEAD; i++) {
            length = (length << 8) | (payload[i] & 0xFF);
        }
        if (length > payloadSize - OVERHEAD) {
            return Optional.empty();
        }
        int end = OVERHEAD + (int) length;
        for (int i = end; i < payloadSize; i++) {
            nonZero |= payload[i];
        }
        if (nonZero != 0) {
            return Optional.empty(); // one encoding per message: padding must be zero as well
        }
        return Optional.of(Arrays.copyOfRange(payload, OVERHEAD, end));
    }
}
