package org.qdht.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.qdht.api.wire.WireFormatException;

/**
 * Fuzzes the decoder of every secure aggregation message: what any client or a server can send.
 * An input may only be accepted or refused with a {@link WireFormatException}; any other
 * exception, an endless loop or an allocation beyond the input's size is a finding. An accepted
 * input must re-encode to the same bytes, since each message has exactly one encoding.
 *
 * <p>When the high bit of the first input byte is set, version and type are forced to version 1
 * and one of the seven types, so that the fuzzer reaches the bodies at once. With
 * {@code JAZZER_FUZZ=1} (the module's surefire setting) the target runs for {@value #CI_DURATION}.
 */
class SecAggMessagesFuzzTest {
    static final String CI_DURATION = "15s";
    private static final int TYPES = 7;

    @FuzzTest(maxDuration = CI_DURATION)
    void decodeAnyMessage(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        int mode = input[0] & 0xFF;
        if ((mode & 0x80) != 0 && bytes.length >= 2) {
            bytes[0] = (byte) SecAggMessages.VERSION;
            bytes[1] = (byte) (1 + (mode & 0x7F) % TYPES);
        }
        SecAggMessage message;
        try {
            message = SecAggMessages.decode(bytes);
        } catch (WireFormatException refused) {
            return;
        }
        assertArrayEquals(bytes, SecAggMessages.encode(message), "an accepted input is not the canonical encoding of what it decoded to");
    }
}
