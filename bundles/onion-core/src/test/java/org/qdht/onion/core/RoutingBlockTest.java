package org.qdht.onion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.wire.WireFormatException;

class RoutingBlockTest {
    private static final Layout LAYOUT = new Layout(1120, 5, 16_384);

    @Test
    void relayBlockReadsBack() throws WireFormatException {
        NodeId next = NodeId.of(TestNodes.randomBytes(32));
        PeerAddress address = PeerAddress.parse("quic://[2001:db8::1]:4433");
        byte[] fields = TestNodes.randomBytes(LAYOUT.hopFieldsSize());
        byte[] block = RoutingBlock.relay(LAYOUT, next, address, fields);
        assertEquals(LAYOUT.blockSize(), block.length);
        RoutingBlock read = RoutingBlock.read(LAYOUT, block, 0);
        assertEquals(RoutingBlock.RELAY, read.command());
        assertEquals(next, read.nextNode());
        assertEquals(address, read.nextAddress());
        assertArrayEquals(fields, read.nextHopFields());
    }

    @Test
    void deliverBlockIsAllZeroButTheCommand() throws WireFormatException {
        byte[] block = RoutingBlock.deliver(LAYOUT);
        assertNull(RoutingBlock.read(LAYOUT, block, 0).nextNode());
        block[500] = 1;
        assertThrows(WireFormatException.class, () -> RoutingBlock.read(LAYOUT, block, 0));
    }

    @Test
    void malformedBlocksAreRefused() {
        byte[] good = RoutingBlock.relay(LAYOUT, NodeId.of(TestNodes.randomBytes(32)), PeerAddress.parse("udp://1.2.3.4:5"),
                new byte[LAYOUT.hopFieldsSize()]);
        byte[] unknown = good.clone();
        unknown[0] = 3;
        assertTrue(assertThrows(WireFormatException.class, () -> RoutingBlock.read(LAYOUT, unknown, 0)).getMessage().contains("unknown routing command 3"));
        byte[] zeroNode = good.clone();
        java.util.Arrays.fill(zeroNode, 1, 33, (byte) 0);
        assertThrows(WireFormatException.class, () -> RoutingBlock.read(LAYOUT, zeroNode, 0));
        byte[] padding = good.clone();
        padding[33 + 79] = 9;
        assertThrows(WireFormatException.class, () -> RoutingBlock.read(LAYOUT, padding, 0));
        byte[] emptyAddress = good.clone();
        java.util.Arrays.fill(emptyAddress, 33, 113, (byte) 0);
        assertThrows(WireFormatException.class, () -> RoutingBlock.read(LAYOUT, emptyAddress, 0));
        assertEquals(WireFormatException.Reason.TRUNCATED,
                assertThrows(WireFormatException.class, () -> RoutingBlock.read(LAYOUT, new byte[10], 0)).reason());
    }

    @Test
    void addressFieldHoldsAddressesUpToEightyBytes() throws WireFormatException {
        // varint + "udp" + varint + location: 1 + 3 + 1 + 75 = 80
        PeerAddress longest = PeerAddress.of("udp", "a".repeat(75));
        byte[] field = new byte[AddressField.SIZE];
        AddressField.write(longest, field, 0);
        assertEquals(longest, AddressField.read(field, 0));
        assertThrows(IllegalArgumentException.class, () -> AddressField.encode(PeerAddress.of("udp", "a".repeat(76))));
    }

    @Test
    void payloadFrameRefusesBadLengthsAndPadding() throws OnionException {
        byte[] payload = PayloadFrame.frame(new byte[] {1, 2}, 64);
        assertArrayEquals(new byte[] {1, 2}, PayloadFrame.open(payload, 64).orElseThrow());
        byte[] longLength = payload.clone();
        longLength[19] = 45;
        assertTrue(PayloadFrame.open(longLength, 64).isEmpty());
        byte[] dirtyPadding = payload.clone();
        dirtyPadding[63] = 1;
        assertTrue(PayloadFrame.open(dirtyPadding, 64).isEmpty());
        assertTrue(PayloadFrame.open(payload, 65).isEmpty());
        assertArrayEquals(new byte[44], PayloadFrame.open(PayloadFrame.frame(new byte[44], 64), 64).orElseThrow());
    }
}
