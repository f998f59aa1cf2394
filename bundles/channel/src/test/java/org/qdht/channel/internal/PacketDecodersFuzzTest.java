package org.qdht.channel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.qdht.api.wire.WireFormatException;

/**
 * Fuzzes every decoder of the channel: the six packet types, the sealed identity inside handshake
 * payloads, and the peer book file. The first input byte picks the decoder (and, when its high bit
 * is set, forces the matching type byte so the fuzzer reaches the bodies at once). An input may
 * only be accepted or refused with a {@link WireFormatException}; an accepted one must re-encode to
 * the same bytes. Runs {@code fuzz.seconds} in every build (JAZZER_FUZZ=1 in the module's surefire
 * configuration), replaying kept inputs otherwise.
 */
class PacketDecodersFuzzTest {
    private static final int DECODERS = 8;

    @FuzzTest(maxDuration = "20s")
    void decodeAnyPacket(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int which = (input[0] & 0x7F) % DECODERS;
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 0x80) != 0 && bytes.length > 0 && which < 6) {
            bytes[0] = (byte) (which + 1);
        }
        try {
            switch (which) {
                case 0 -> assertArrayEquals(bytes, Packets.Init.decode(bytes).encode());
                case 1 -> assertArrayEquals(bytes, Packets.Retry.decode(bytes).encode());
                case 2 -> assertArrayEquals(bytes, Packets.Response.decode(bytes).encode());
                case 3 -> assertArrayEquals(bytes, Packets.Finish.decode(bytes).encode());
                case 4 -> assertArrayEquals(bytes, Packets.Data.decode(bytes).encode());
                case 5 -> assertArrayEquals(bytes, Packets.Reject.decode(bytes).encode());
                case 6 -> {
                    Packets.Signed s = Packets.Identity.decodeSigned(bytes);
                    assertArrayEquals(bytes, Transcript.concat(s.identity().encodeUnsigned(), Initiator.encode(s.signature())));
                }
                default -> PeerBook.decode(bytes);
            }
        } catch (WireFormatException expected) {
            // refused cleanly
        }
    }
}
