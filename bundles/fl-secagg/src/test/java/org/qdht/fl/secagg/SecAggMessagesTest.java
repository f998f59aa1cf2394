package org.qdht.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.qdht.api.wire.WireFormatException;

class SecAggMessagesTest {
    @Test
    void everyMessageOfARoundReEncodesToItsBytes() throws Exception {
        // the simulation decodes every message; here each decoded message must re-encode identically
        RoundSimulation.Outcome o = new RoundSimulation(4, 10, 3).silence(RoundSimulation.Silence.BEFORE_MASKED_INPUT, 1).run();
        for (SecAggMessage.MaskedInput m : o.masked().values()) {
            byte[] wire = SecAggMessages.encode(m);
            assertArrayEquals(wire, SecAggMessages.encode(SecAggMessages.decode(wire)));
        }
        SecAggMessage.UnmaskingResponse r = new SecAggMessage.UnmaskingResponse(9, 2,
                java.util.List.of(new SecAggMessage.RevealedShare(1, new byte[66]), new SecAggMessage.RevealedShare(2, new byte[66])),
                java.util.List.of(new SecAggMessage.RevealedSeed(3, new byte[32])));
        byte[] wire = SecAggMessages.encode(r);
        assertEquals(1 + 1 + 8 + 2 + 1 + 2 * 68 + 1 + 34, wire.length);
        SecAggMessage.UnmaskingResponse back = (SecAggMessage.UnmaskingResponse) SecAggMessages.decode(wire);
        assertEquals(9, back.round());
        assertEquals(3, back.seeds().get(0).dropped());
    }

    @Test
    void truncatedTrailingAndForgedLengthsAreRefused() {
        byte[] wire = SecAggMessages.encode(new SecAggMessage.MaskedInput(1, 2, new int[] {1, 2, 3}, java.util.List.of()));
        assertEquals(WireFormatException.Reason.TRUNCATED, assertThrows(WireFormatException.class,
                () -> SecAggMessages.decode(Arrays.copyOf(wire, wire.length - 1))).reason());
        assertEquals(WireFormatException.Reason.TRAILING_BYTES, assertThrows(WireFormatException.class,
                () -> SecAggMessages.decode(Arrays.copyOf(wire, wire.length + 1))).reason());
        byte[] forged = wire.clone();
        forged[12] = 0x7F; // vector length 127 with 12 bytes of entries behind it
        assertEquals(WireFormatException.Reason.TRUNCATED, assertThrows(WireFormatException.class, () -> SecAggMessages.decode(forged)).reason());
    }

    @Test
    void unsortedOrRepeatedIdsAreRefused() {
        byte[] wire = SecAggMessages.encode(new SecAggMessage.CiphertextDelivery(1, 2, java.util.List.of(2, 5), java.util.List.of()));
        byte[] repeated = wire.clone();
        repeated[repeated.length - 2] = 2; // members 2, 2
        assertEquals(WireFormatException.Reason.MALFORMED, assertThrows(WireFormatException.class, () -> SecAggMessages.decode(repeated)).reason());
        byte[] zero = wire.clone();
        zero[10] = 0;
        zero[11] = 0; // recipient 0
        assertEquals(WireFormatException.Reason.MALFORMED, assertThrows(WireFormatException.class, () -> SecAggMessages.decode(zero)).reason());
    }

    @Test
    void unknownVersionAndTypeAreRefused() {
        byte[] wire = SecAggMessages.encode(new SecAggMessage.CiphertextDelivery(1, 2, java.util.List.of(2, 5), java.util.List.of()));
        byte[] version = wire.clone();
        version[0] = 2;
        assertEquals(WireFormatException.Reason.UNSUPPORTED_VERSION, assertThrows(WireFormatException.class, () -> SecAggMessages.decode(version)).reason());
        byte[] type = wire.clone();
        type[1] = 8;
        assertEquals(WireFormatException.Reason.WRONG_TYPE, assertThrows(WireFormatException.class, () -> SecAggMessages.decode(type)).reason());
    }
}
