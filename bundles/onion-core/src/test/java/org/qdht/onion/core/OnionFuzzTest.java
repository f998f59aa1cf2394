package org.qdht.onion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;
import org.qdht.onion.core.TestNodes.Node;

/**
 * Fuzzes what any peer can send a relay: packets for {@link PacketFormat#unwrap}, reply blocks for
 * {@link Surb#readFrom} and, behind the MAC a fuzzer cannot forge, the routing block parser. Only
 * {@link OnionException} and {@link WireFormatException} may come out; anything else (an
 * {@link IllegalArgumentException} from a constructor included) is a finding.
 *
 * <p>The first input byte picks the target: raw bytes as a packet, a valid packet overwritten at
 * an offset with the input, raw bytes as a SURB, a valid SURB overwritten likewise, raw bytes as a
 * routing block. A small format (X-Wing, 3 hops, 256-byte payload) keeps packets short so that the
 * fuzzer spends its time on the parser. A SURB that decodes must re-encode to the same bytes. Kept
 * inputs are under {@code src/test/resources/org/qdht/onion/core/OnionFuzzTestInputs/}; in a
 * normal build the target runs for {@value #CI_DURATION} ({@code JAZZER_FUZZ=1} in the module's
 * surefire configuration; jazzer-junit 0.24 takes the duration from this annotation only).
 */
class OnionFuzzTest {
    static final String CI_DURATION = "20s";
    private static final int TARGETS = 5;
    private static final PacketFormat FORMAT = new PacketFormat(TestNodes.XWING, 3, 256);
    private static final List<Node> ROUTE = TestNodes.nodes(TestNodes.XWING, 3);
    private static final byte[] PACKET;
    private static final byte[] SURB;

    static {
        try {
            PACKET = FORMAT.forward(TestNodes.hops(ROUTE), new byte[] {1, 2, 3}).bytes();
            Node requester = TestNodes.node(TestNodes.XWING, 40);
            WireWriter w = new WireWriter();
            FORMAT.newSurb(TestNodes.hops(ROUTE.subList(0, 2)), requester.id(), requester.address()).surb().writeTo(w);
            SURB = w.toByteArray();
        } catch (OnionException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = CI_DURATION)
    void packetsAndReplyBlocks(byte[] input) throws WireFormatException {
        if (input.length < 3) {
            return;
        }
        int target = (input[0] & 0xFF) % TARGETS;
        int offset = ((input[1] & 0xFF) << 8 | (input[2] & 0xFF));
        byte[] data = Arrays.copyOfRange(input, 3, input.length);
        switch (target) {
            case 0 -> unwrap(data);
            case 1 -> unwrap(overwrite(PACKET, offset * 2, data));
            case 2 -> readSurb(data);
            case 3 -> readSurb(overwrite(SURB, offset, data));
            default -> readBlock(data);
        }
    }

    private static void unwrap(byte[] packet) {
        try {
            Unwrapped u = FORMAT.unwrap(ROUTE.get(0).onionKey(), packet);
            assertEquals(32, u.replayTag().length);
            if (u instanceof Unwrapped.Relay relay) {
                assertEquals(FORMAT.packetSize(), relay.packet().length);
            }
        } catch (OnionException refused) {
            // the only way to refuse
        }
    }

    private static void readSurb(byte[] bytes) throws WireFormatException {
        Surb surb;
        try {
            surb = Surb.readFrom(new WireReader(bytes), FORMAT);
        } catch (WireFormatException refused) {
            return;
        }
        WireWriter w = new WireWriter();
        surb.writeTo(w);
        assertArrayEquals(Arrays.copyOf(bytes, FORMAT.surbSize()), w.toByteArray(), "a SURB has one encoding");
        assertEquals(surb, Surb.readFrom(new WireReader(w.toByteArray()), FORMAT));
    }

    private static void readBlock(byte[] data) {
        try {
            RoutingBlock.read(FORMAT.layout(), Arrays.copyOf(data, FORMAT.blockSize()), 0);
        } catch (WireFormatException refused) {
            // the only way to refuse
        }
    }

    /** {@code base} with {@code data} written over it from {@code offset} (wrapped into range), same length. */
    private static byte[] overwrite(byte[] base, int offset, byte[] data) {
        byte[] out = base.clone();
        int at = offset % base.length;
        System.arraycopy(data, 0, out, at, Math.min(data.length, base.length - at));
        return out;
    }
}
