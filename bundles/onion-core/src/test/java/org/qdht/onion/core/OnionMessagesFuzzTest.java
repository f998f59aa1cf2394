package org.qdht.onion.core;

import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.qdht.api.wire.WireFormatException;
import org.qdht.onion.core.OnionMessages.Kind;

/**
 * Fuzzes what an exit and a requester decode after the packet layer: requests, replies of each
 * kind, and the onion key descriptors clients fetch from the DHT. Only {@link WireFormatException}
 * may come out. The first byte picks the decoder; the rest is the input, or a valid request
 * overwritten with it. Runs {@value OnionFuzzTest#CI_DURATION} in a normal build.
 */
class OnionMessagesFuzzTest {
    private static final PacketFormat FORMAT = new PacketFormat(TestNodes.XWING, 3, 256);
    private static final byte[] GET;

    static {
        try {
            TestNodes.Node requester = TestNodes.node(TestNodes.XWING, 40);
            Surb surb = FORMAT.newSurb(TestNodes.hops(TestNodes.nodes(TestNodes.XWING, 1)), requester.id(), requester.address()).surb();
            GET = OnionMessages.encode(new OnionMessages.Get(new byte[16], surb, org.qdht.api.routing.DhtKey.ofName("k")));
        } catch (OnionException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = OnionFuzzTest.CI_DURATION)
    void messagesAndDescriptors(byte[] input) {
        if (input.length < 2) {
            return;
        }
        byte[] data = Arrays.copyOfRange(input, 2, input.length);
        try {
            switch ((input[0] & 0xFF) % 6) {
                case 0 -> OnionMessages.decodeRequest(data, FORMAT);
                case 1 -> {
                    byte[] mutated = GET.clone();
                    int at = (input[1] & 0xFF) % mutated.length;
                    System.arraycopy(data, 0, mutated, at, Math.min(data.length, mutated.length - at));
                    OnionMessages.decodeRequest(mutated, FORMAT);
                }
                case 2 -> OnionMessages.decodeReply(data, Kind.GET);
                case 3 -> OnionMessages.decodeReply(data, Kind.PUT);
                case 4 -> OnionMessages.decodeReply(data, Kind.LOOKUP);
                default -> OnionKeyDescriptor.decode(data);
            }
        } catch (WireFormatException refused) {
            // the only way to refuse
        }
    }
}
