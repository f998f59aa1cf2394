package org.qdht.fl.fedavg.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.qdht.api.wire.WireFormatException;

/**
 * Fuzzes the decoder of the learning messages any peer can send a node: only a
 * {@link WireFormatException} may come out, and what decodes must encode to the same bytes.
 * Runs 15 s per build ({@code JAZZER_FUZZ=1} in the module's surefire configuration).
 */
class FlMessagesFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void learningMessages(byte[] input) {
        try {
            FlMessages.Message m = FlMessages.decode(input);
            byte[] again = FlMessages.encode(m);
            if (!(m instanceof FlMessages.Decline) && !java.util.Arrays.equals(input, again)) {
                throw new AssertionError("decoded and encoded differ");
            }
        } catch (WireFormatException refused) {
            // the only way to refuse
        }
    }
}
