package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.qdht.api.wire.WireFormatException;

/**
 * Fuzzes the decoder of the Kademlia RPCs: what any peer with a session can send. An input may
 * only be accepted or refused with a {@link WireFormatException}; any other exception (an
 * {@link IllegalArgumentException} from a constructor included), an endless loop or an allocation
 * beyond the limits is a finding. An accepted input must re-encode to the same bytes, since each
 * message has exactly one encoding.
 *
 * <p>The first input byte is a mode: when its high bit is set, the version and type bytes are
 * forced to version 1 and one of the eight types, so that the fuzzer reaches the bodies at once.
 * The kept inputs under {@code src/test/resources/org/qdht/kademlia/core/DhtMessagesFuzzTestInputs/}
 * are encodings of every message type (records with short stand-in keys and signatures: decoding
 * checks that a key belongs to its record, not the signature). In a normal build the target runs
 * for {@value #CI_DURATION} ({@code JAZZER_FUZZ=1} in the module's surefire configuration; with
 * jazzer-junit 0.24 the duration comes from this annotation only, {@code jazzer.max_duration} is
 * not read); without {@code JAZZER_FUZZ}, Jazzer replays the kept inputs.
 */
class DhtMessagesFuzzTest {
    static final String CI_DURATION = "20s";
    private static final int TYPES = 8;

    @FuzzTest(maxDuration = CI_DURATION)
    void decodeAnyMessage(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        int mode = input[0] & 0xFF;
        if ((mode & 0x80) != 0 && bytes.length >= 2) {
            bytes[0] = (byte) DhtMessages.VERSION;
            bytes[1] = (byte) (1 + (mode & 0x7F) % TYPES);
        }
        DhtMessage message;
        try {
            message = DhtMessages.decode(bytes);
        } catch (WireFormatException refused) {
            return;
        }
        byte[] again = DhtMessages.encode(message);
        assertArrayEquals(bytes, again, "an accepted input is not the canonical encoding of what it decoded to");
        try {
            assertEquals(message, DhtMessages.decode(again));
        } catch (WireFormatException e) {
            throw new AssertionError("the encoding of a decoded message does not decode", e);
        }
    }
}
