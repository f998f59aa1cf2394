package org.qdht.onion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;
import org.qdht.onion.core.TestNodes.Node;

class SurbTest {
    private static final PacketFormat XWING = PacketFormat.defaults(TestNodes.XWING);

    @ParameterizedTest(name = "{0} relays")
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void replyTravelsTheReplyRouteBackToTheRequester(int relayCount) throws OnionException {
        List<Node> relays = TestNodes.nodes(TestNodes.XWING, relayCount);
        Node requester = TestNodes.node(TestNodes.XWING, 99);
        SurbPair pair = XWING.newSurb(TestNodes.hops(relays), requester.id(), requester.address());
        Node firstHop = relayCount == 0 ? requester : relays.get(0);
        assertEquals(firstHop.id(), pair.surb().firstNode());
        assertEquals(firstHop.address(), pair.surb().firstAddress());

        byte[] message = ("the answer, via " + relayCount).getBytes(StandardCharsets.UTF_8);
        Packet reply = XWING.reply(pair.surb(), message);
        byte[] packet = reply.bytes();
        for (int i = 0; i < relayCount; i++) {
            assertEquals(XWING.packetSize(), packet.length);
            Unwrapped.Relay relay = assertInstanceOf(Unwrapped.Relay.class, XWING.unwrap(relays.get(i).onionKey(), packet));
            Node next = i + 1 < relayCount ? relays.get(i + 1) : requester;
            assertEquals(next.id(), relay.nextNode());
            assertEquals(next.address(), relay.nextAddress());
            packet = relay.packet();
        }
        assertEquals(XWING.packetSize(), packet.length);
        assertEquals(pair.secrets().keyId(), PacketFormat.keyIdOf(packet));
        assertArrayEquals(message, pair.secrets().open(packet));
    }

    @Test
    void replyWithMlKem1024() throws OnionException {
        PacketFormat format = PacketFormat.defaults(TestNodes.MLKEM1024);
        List<Node> relays = TestNodes.nodes(TestNodes.MLKEM1024, 4);
        Node requester = TestNodes.node(TestNodes.MLKEM1024, 50);
        SurbPair pair = format.newSurb(TestNodes.hops(relays), requester.id(), requester.address());
        byte[] packet = pass(format, relays, format.reply(pair.surb(), new byte[] {9, 8, 7}).bytes());
        assertArrayEquals(new byte[] {9, 8, 7}, pair.secrets().open(packet));
    }

    @Test
    void requestCarriesASurbAndTheResponderAnswersThroughIt() throws Exception {
        List<Node> forwardRoute = TestNodes.nodes(TestNodes.XWING, 3);
        List<Node> replyRelays = TestNodes.nodes(TestNodes.XWING, 3);
        Node requester = TestNodes.node(TestNodes.XWING, 77);
        SurbPair pair = XWING.newSurb(TestNodes.hops(replyRelays), requester.id(), requester.address());
        WireWriter request = new WireWriter();
        pair.surb().writeTo(request);
        request.raw("GET key".getBytes(StandardCharsets.US_ASCII));

        byte[] delivered = ForwardTest.traverse(XWING, forwardRoute, XWING.forward(TestNodes.hops(forwardRoute), request.toByteArray()).bytes());
        byte[] received = XWING.openForward(delivered).orElseThrow();
        WireReader in = new WireReader(received);
        Surb surb = Surb.readFrom(in, XWING);
        assertEquals(pair.surb(), surb);
        assertEquals("GET key", new String(in.fixed(in.remaining(), "request"), StandardCharsets.US_ASCII));

        byte[] replyPacket = pass(XWING, replyRelays, XWING.reply(surb, "value".getBytes(StandardCharsets.US_ASCII)).bytes());
        assertEquals("value", new String(pair.secrets().open(replyPacket), StandardCharsets.US_ASCII));
    }

    @Test
    void flippedReplyPayloadBitIsTagged() throws OnionException {
        List<Node> relays = TestNodes.nodes(TestNodes.XWING, 2);
        Node requester = TestNodes.node(TestNodes.XWING, 9);
        SurbPair pair = XWING.newSurb(TestNodes.hops(relays), requester.id(), requester.address());
        byte[] packet = XWING.reply(pair.surb(), new byte[] {1, 2, 3}).bytes();
        byte[] afterFirst = ((Unwrapped.Relay) XWING.unwrap(relays.get(0).onionKey(), packet)).packet();
        byte[] tagged = TestNodes.flipBit(afterFirst, XWING.headerSize() * 8 + 3);
        byte[] atRequester = ((Unwrapped.Relay) XWING.unwrap(relays.get(1).onionKey(), tagged)).packet();
        OnionException e = assertThrows(OnionException.class, () -> pair.secrets().open(atRequester));
        assertEquals(OnionException.Reason.TAGGED, e.reason());
        assertEquals("payload-tagged", e.counterName());
    }

    @Test
    void surbIsBoundToItsOwnSecrets() throws OnionException {
        List<Node> relays = TestNodes.nodes(TestNodes.XWING, 1);
        Node requester = TestNodes.node(TestNodes.XWING, 9);
        SurbPair mine = XWING.newSurb(TestNodes.hops(relays), requester.id(), requester.address());
        SurbPair other = XWING.newSurb(TestNodes.hops(relays), requester.id(), requester.address());
        byte[] packet = pass(XWING, relays, XWING.reply(mine.surb(), new byte[] {5}).bytes());
        OnionException e = assertThrows(OnionException.class, () -> other.secrets().open(packet));
        assertEquals(OnionException.Reason.WRONG_KEY, e.reason());
        assertArrayEquals(new byte[] {5}, mine.secrets().open(packet));
    }

    @Test
    void secretsOpenOneReplyOnly() throws OnionException {
        Node requester = TestNodes.node(TestNodes.XWING, 9);
        SurbPair pair = XWING.newSurb(List.of(), requester.id(), requester.address());
        byte[] packet = XWING.reply(pair.surb(), new byte[] {5}).bytes();
        assertArrayEquals(new byte[] {5}, pair.secrets().open(packet));
        assertEquals(OnionException.Reason.CRYPTO, assertThrows(OnionException.class, () -> pair.secrets().open(packet)).reason());
        SurbPair dropped = XWING.newSurb(List.of(), requester.id(), requester.address());
        dropped.secrets().destroy();
        assertEquals(OnionException.Reason.CRYPTO,
                assertThrows(OnionException.class, () -> dropped.secrets().open(XWING.reply(dropped.surb(), new byte[1]).bytes())).reason());
    }

    @Test
    void surbEncodesToItsFixedSizeAndBack() throws Exception {
        List<Node> relays = TestNodes.nodes(TestNodes.XWING, 3);
        Node requester = TestNodes.node(TestNodes.XWING, 9);
        Surb surb = XWING.newSurb(TestNodes.hops(relays), requester.id(), requester.address()).surb();
        byte[] bytes = encode(surb);
        assertEquals(XWING.surbSize(), bytes.length);
        assertFalse(TestNodes.contains(bytes, requester.id().bytes()), "a SURB does not name the requester");
        assertFalse(TestNodes.contains(bytes, AddressField.encode(requester.address())));
        WireReader in = new WireReader(bytes);
        assertEquals(surb, Surb.readFrom(in, XWING));
        assertEquals(0, in.remaining());
    }

    @Test
    void surbDecoderIsStrict() throws Exception {
        Node requester = TestNodes.node(TestNodes.XWING, 9);
        byte[] bytes = encode(XWING.newSurb(TestNodes.hops(TestNodes.nodes(TestNodes.XWING, 1)), requester.id(), requester.address()).surb());
        byte[] padding = bytes.clone();
        padding[32 + 79] = 1;
        assertEquals(WireFormatException.Reason.MALFORMED, assertThrows(WireFormatException.class, () -> read(padding)).reason());
        byte[] zeroNode = bytes.clone();
        java.util.Arrays.fill(zeroNode, 0, 32, (byte) 0);
        assertEquals(WireFormatException.Reason.MALFORMED, assertThrows(WireFormatException.class, () -> read(zeroNode)).reason());
        byte[] badScheme = bytes.clone();
        badScheme[33] = 'U';
        assertEquals(WireFormatException.Reason.MALFORMED, assertThrows(WireFormatException.class, () -> read(badScheme)).reason());
        assertEquals(WireFormatException.Reason.TRUNCATED,
                assertThrows(WireFormatException.class, () -> read(java.util.Arrays.copyOf(bytes, bytes.length - 1))).reason());
    }

    @Test
    void replyRouteMustLeaveRoomForTheRequester() {
        Node requester = TestNodes.node(TestNodes.XWING, 9);
        List<Hop> five = TestNodes.hops(TestNodes.nodes(TestNodes.XWING, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XWING.newSurb(five, requester.id(), requester.address()));
        assertTrue(e.getMessage().contains("reply route"), e.getMessage());
    }

    @Test
    void surbOfAnotherFormatIsRefused() throws OnionException {
        Node requester = TestNodes.node(TestNodes.XWING, 9);
        Surb small = new PacketFormat(TestNodes.XWING, 2, 1024).newSurb(List.of(), requester.id(), requester.address()).surb();
        assertThrows(IllegalArgumentException.class, () -> XWING.reply(small, new byte[1]));
    }

    @Test
    void replyTooLargeIsRefused() throws OnionException {
        Node requester = TestNodes.node(TestNodes.XWING, 9);
        Surb surb = XWING.newSurb(List.of(), requester.id(), requester.address()).surb();
        assertEquals(OnionException.Reason.TOO_LARGE,
                assertThrows(OnionException.class, () -> XWING.reply(surb, new byte[XWING.maxMessageSize() + 1])).reason());
    }

    private static byte[] pass(PacketFormat format, List<Node> relays, byte[] packet) throws OnionException {
        for (Node relay : relays) {
            packet = assertInstanceOf(Unwrapped.Relay.class, format.unwrap(relay.onionKey(), packet)).packet();
        }
        return packet;
    }

    private static byte[] encode(Surb surb) {
        WireWriter w = new WireWriter();
        surb.writeTo(w);
        return w.toByteArray();
    }

    private static Surb read(byte[] bytes) throws WireFormatException {
        return Surb.readFrom(new WireReader(bytes), XWING);
    }
}
