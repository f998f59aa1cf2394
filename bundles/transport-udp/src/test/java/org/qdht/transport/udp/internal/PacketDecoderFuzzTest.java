package org.qdht.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes what a peer controls: a sequence of packets from a few sources, through the decoder and
 * into the reassembler, with time moving between packets. The decoder may only return a fragment
 * within the limits or throw {@link MalformedPacketException}; the reassembler may only return
 * messages within the size limit and must stay within its memory limit. Anything else, an endless
 * loop included, is a finding.
 *
 * <p>In a normal build the target runs for {@value #CI_DURATION} with {@code JAZZER_FUZZ=1} (set by
 * the module's surefire configuration); without it, Jazzer replays the inputs kept under
 * {@code src/test/resources/org/qdht/transport/udp/internal/PacketDecoderFuzzTestInputs/}.
 */
class PacketDecoderFuzzTest {
    static final String CI_DURATION = "20s";

    /** Small limits, so that the fuzzer reaches every one of them quickly. */
    static final int MTU = 64;
    static final int MAX_MESSAGE = 1000;
    static final int MAX_FRAGMENTS = 16;
    static final long MAX_BYTES = 2 * Reassembler.bytesCharged(MAX_MESSAGE, MAX_FRAGMENTS);
    static final Set<String> REASONS = Set.of("malformed", "too-large", "duplicate", "reassembly-full", "reassembly-timeout");

    @FuzzTest(maxDuration = CI_DURATION)
    void packetsFromPeers(FuzzedDataProvider data) {
        FragmentCodec codec = new FragmentCodec(MTU, MAX_MESSAGE);
        AtomicLong clock = new AtomicLong();
        Reassembler reassembler = new Reassembler(MAX_MESSAGE, 4, MAX_BYTES, 100, clock::get,
                reason -> assertTrue(REASONS.contains(reason), reason));
        while (data.remainingBytes() > 0) {
            int source = data.consumeInt(0, 3);
            clock.addAndGet(data.consumeInt(0, 60));
            byte[] packet = data.consumeBoolean() ? plausiblePacket(data) : data.consumeBytes(data.consumeInt(0, 100));
            Fragment fragment;
            try {
                fragment = codec.decode(packet, packet.length);
            } catch (MalformedPacketException rejected) {
                assertTrue(Set.of("malformed", "too-large").contains(rejected.reason()), rejected.reason());
                continue;
            }
            assertTrue(fragment.index() < fragment.count() && fragment.count() <= MAX_FRAGMENTS);
            assertTrue(fragment.payload().length <= MTU);
            assertEquals(FragmentCodec.VERSION, packet[0]);
            assertArrayEquals(Arrays.copyOfRange(packet, FragmentCodec.HEADER_SIZE, packet.length), fragment.payload());

            byte[] message = reassembler.accept(source, fragment);
            if (message != null) {
                assertTrue(message.length <= MAX_MESSAGE, "message of " + message.length + " bytes");
            }
            assertTrue(reassembler.bytesHeld() >= 0 && reassembler.bytesHeld() <= MAX_BYTES, "held " + reassembler.bytesHeld());
            assertTrue(reassembler.partialMessages() >= 0 && reassembler.partialMessages() <= 16);
            if (data.consumeBoolean()) {
                reassembler.expire();
            }
        }
    }

    /** A packet with a version-1 header and small numbers, so most inputs reach the reassembler. */
    private static byte[] plausiblePacket(FuzzedDataProvider data) {
        int id = data.consumeInt(0, 3);
        int index = data.consumeInt(0, 20);
        int count = data.consumeInt(0, 20);
        byte[] payload = data.consumeBytes(data.consumeInt(0, 70));
        byte[] packet = new byte[FragmentCodec.HEADER_SIZE + payload.length];
        packet[0] = FragmentCodec.VERSION;
        packet[4] = (byte) id;
        packet[5] = (byte) (index >>> 8);
        packet[6] = (byte) index;
        packet[7] = (byte) (count >>> 8);
        packet[8] = (byte) count;
        System.arraycopy(payload, 0, packet, FragmentCodec.HEADER_SIZE, payload.length);
        return packet;
    }
}
