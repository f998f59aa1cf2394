package org.qdht.onion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.onion.core.TestNodes.Node;

class ForwardTest {
    private static final PacketFormat XWING = PacketFormat.defaults(TestNodes.XWING);

    static Stream<Arguments> suitesAndRouteLengths() {
        List<Arguments> out = new ArrayList<>();
        for (CryptoSuite suite : List.of(TestNodes.XWING, TestNodes.MLKEM1024)) {
            for (int hops = 1; hops <= PacketFormat.DEFAULT_MAX_HOPS; hops++) {
                out.add(Arguments.of(suite, hops));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1} hops")
    @MethodSource("suitesAndRouteLengths")
    void messageCrossesEveryHopToTheLast(CryptoSuite suite, int hops) throws OnionException {
        PacketFormat format = PacketFormat.defaults(suite);
        List<Node> route = TestNodes.nodes(suite, hops);
        byte[] message = ("hello through " + hops + " hops").getBytes(StandardCharsets.UTF_8);

        Packet packet = format.forward(TestNodes.hops(route), message);
        assertEquals(route.get(0).id(), packet.firstNode());
        assertEquals(route.get(0).address(), packet.firstAddress());

        byte[] payload = traverse(format, route, packet.bytes());
        assertArrayEquals(message, format.openForward(payload).orElseThrow());
    }

    @ParameterizedTest(name = "{0} hops")
    @ValueSource(ints = {1, 2, 3, 5})
    void everyPacketOnTheWayHasTheSameSize(int hops) throws OnionException {
        List<Node> route = TestNodes.nodes(TestNodes.XWING, hops);
        byte[] packet = XWING.forward(TestNodes.hops(route), new byte[] {1, 2, 3}).bytes();
        for (Node node : route) {
            assertEquals(XWING.packetSize(), packet.length);
            Unwrapped u = XWING.unwrap(node.onionKey(), packet);
            if (u instanceof Unwrapped.Relay relay) {
                packet = relay.packet();
            } else {
                assertEquals(XWING.payloadSize(), ((Unwrapped.Deliver) u).payload().length);
            }
        }
    }

    @Test
    void emptyAndLargestMessagesFit() throws OnionException {
        List<Node> route = TestNodes.nodes(TestNodes.XWING, 2);
        byte[] largest = TestNodes.randomBytes(XWING.maxMessageSize());
        assertArrayEquals(largest, XWING.openForward(traverse(XWING, route, XWING.forward(TestNodes.hops(route), largest).bytes())).orElseThrow());
        assertArrayEquals(new byte[0], XWING.openForward(traverse(XWING, route, XWING.forward(TestNodes.hops(route), new byte[0]).bytes())).orElseThrow());
    }

    @Test
    void flippedHeaderBitIsCaughtByTheNextHop() throws OnionException {
        List<Node> route = TestNodes.nodes(TestNodes.XWING, 3);
        byte[] packet = XWING.forward(TestNodes.hops(route), new byte[] {42}).bytes();
        byte[] toSecond = ((Unwrapped.Relay) XWING.unwrap(route.get(0).onionKey(), packet)).packet();
        int ciphertextBit = 16 * 8 + 5;
        int macBit = (16 + 1120) * 8 + 3;
        int betaBits = (16 + 1120 + 32) * 8;
        for (int bit : new int[] {ciphertextBit, macBit, betaBits, betaBits + 4000, betaBits + 5 * 1281 * 8 - 1}) {
            OnionException e = assertThrows(OnionException.class, () -> XWING.unwrap(route.get(1).onionKey(), TestNodes.flipBit(toSecond, bit)));
            assertEquals(OnionException.Reason.BAD_MAC, e.reason(), "bit " + bit);
            assertEquals("packet-bad-mac", e.counterName());
        }
        assertEquals(OnionException.Reason.BAD_MAC,
                assertThrows(OnionException.class, () -> XWING.unwrap(route.get(0).onionKey(), TestNodes.flipBit(packet, betaBits + 9))).reason());
    }

    @Test
    void flippedPayloadBitIsCaughtByTheLastHop() throws OnionException {
        List<Node> route = TestNodes.nodes(TestNodes.XWING, 3);
        byte[] packet = XWING.forward(TestNodes.hops(route), "tag me".getBytes(StandardCharsets.UTF_8)).bytes();
        byte[] toSecond = ((Unwrapped.Relay) XWING.unwrap(route.get(0).onionKey(), packet)).packet();
        byte[] tagged = TestNodes.flipBit(toSecond, XWING.headerSize() * 8 + 12_345);
        // relays cannot see the tag: the header is intact
        byte[] delivered = traverse(XWING, route.subList(1, 3), tagged);
        assertTrue(XWING.openForward(delivered).isEmpty());
    }

    @Test
    void samePacketGivesTheSameReplayTag() throws OnionException {
        List<Node> route = TestNodes.nodes(TestNodes.XWING, 2);
        byte[] packet = XWING.forward(TestNodes.hops(route), new byte[] {1}).bytes();
        byte[] again = XWING.forward(TestNodes.hops(route), new byte[] {1}).bytes();
        byte[] first = XWING.unwrap(route.get(0).onionKey(), packet).replayTag();
        assertEquals(32, first.length);
        assertArrayEquals(first, XWING.unwrap(route.get(0).onionKey(), packet).replayTag());
        assertFalse(Arrays.equals(first, XWING.unwrap(route.get(0).onionKey(), again).replayTag()),
                "the same message sent twice is two packets with two tags");
        ReplayCache cache = new ReplayCache(10);
        assertTrue(cache.firstSeen(1, first));
        assertFalse(cache.firstSeen(1, XWING.unwrap(route.get(0).onionKey(), packet).replayTag()));
    }

    @Test
    void packetForAnotherKeyIsRefusedBeforeDecapsulation() throws OnionException {
        List<Node> route = TestNodes.nodes(TestNodes.XWING, 2);
        byte[] packet = XWING.forward(TestNodes.hops(route), new byte[] {1}).bytes();
        OnionException e = assertThrows(OnionException.class, () -> XWING.unwrap(route.get(1).onionKey(), packet));
        assertEquals(OnionException.Reason.WRONG_KEY, e.reason());
        assertEquals(route.get(0).onionKey().publicKey().keyId(), PacketFormat.keyIdOf(packet));
    }

    @Test
    void packetsOfTheWrongSizeAreMalformed() throws OnionException {
        Node node = TestNodes.node(TestNodes.XWING, 1);
        byte[] packet = XWING.forward(List.of(node.hop()), new byte[] {1}).bytes();
        for (byte[] bad : new byte[][] {Arrays.copyOf(packet, packet.length - 1), Arrays.copyOf(packet, packet.length + 1), new byte[0], null}) {
            OnionException e = assertThrows(OnionException.class, () -> XWING.unwrap(node.onionKey(), bad));
            assertEquals(OnionException.Reason.MALFORMED, e.reason());
        }
    }

    @Test
    void messageTooLargeIsRefused() {
        List<Node> route = TestNodes.nodes(TestNodes.XWING, 1);
        OnionException e = assertThrows(OnionException.class,
                () -> XWING.forward(TestNodes.hops(route), new byte[XWING.maxMessageSize() + 1]));
        assertEquals(OnionException.Reason.TOO_LARGE, e.reason());
        assertEquals("message-too-large", e.counterName());
    }

    @Test
    void routeMustHaveOneToMaxHops() {
        List<Node> six = TestNodes.nodes(TestNodes.XWING, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XWING.forward(TestNodes.hops(six), new byte[1]));
        assertTrue(e.getMessage().contains("1-5 hops"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> XWING.forward(List.of(), new byte[1]));
    }

    @Test
    void addressLongerThanTheFieldIsRefused() {
        Node node = TestNodes.node(TestNodes.XWING, 1);
        PeerAddress longAddress = PeerAddress.of("udp", "x".repeat(80));
        Hop hop = new Hop(node.id(), longAddress, node.onionKey().publicKey());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> XWING.forward(List.of(TestNodes.node(TestNodes.XWING, 2).hop(), hop), new byte[1]));
        assertTrue(e.getMessage().contains("at most 80"), e.getMessage());
    }

    @Test
    void keyOfAnotherSuiteIsACryptoFailure() {
        Node other = TestNodes.node(TestNodes.MLKEM1024, 1);
        OnionException e = assertThrows(OnionException.class, () -> XWING.forward(List.of(other.hop()), new byte[1]));
        assertEquals(OnionException.Reason.CRYPTO, e.reason());
    }

    @Test
    void eachRelayLearnsOnlyTheNextHop() throws OnionException {
        List<Node> route = TestNodes.nodes(TestNodes.XWING, 5);
        byte[] senderAddress = AddressField.encode(PeerAddress.parse("udp://192.0.2.77:5100"));
        byte[] message = ("reply to udp://192.0.2.77:5100 ").getBytes(StandardCharsets.US_ASCII);
        byte[] packet = XWING.forward(TestNodes.hops(route), message).bytes();
        assertFalse(TestNodes.contains(packet, message), "the message is not readable on the wire");
        for (int i = 0; i < route.size() - 1; i++) {
            Unwrapped.Relay relay = (Unwrapped.Relay) XWING.unwrap(route.get(i).onionKey(), packet);
            assertEquals(route.get(i + 1).id(), relay.nextNode());
            assertEquals(route.get(i + 1).address(), relay.nextAddress());
            packet = relay.packet();
            for (Node node : route) {
                assertFalse(TestNodes.contains(packet, node.id().bytes()), "hop " + i + " output shows a NodeId");
                assertFalse(TestNodes.contains(packet, AddressField.encode(node.address())), "hop " + i + " output shows an address");
            }
            assertFalse(TestNodes.contains(packet, senderAddress));
            assertFalse(TestNodes.contains(packet, message));
        }
        Unwrapped last = XWING.unwrap(route.get(4).onionKey(), packet);
        assertArrayEquals(message, XWING.openForward(((Unwrapped.Deliver) last).payload()).orElseThrow());
    }

    @Test
    void unknownCommandUnderAValidMacIsMalformed() throws Exception {
        Node node = TestNodes.node(TestNodes.XWING, 1);
        assertEquals(OnionException.Reason.MALFORMED, unwrapCraftedBlock(node, 7).reason());
        assertEquals(OnionException.Reason.MALFORMED, unwrapCraftedBlock(node, 0).reason());
    }

    /** A packet whose MAC verifies but whose routing block has {@code command} and zero fields. */
    private static OnionException unwrapCraftedBlock(Node node, int command) throws Exception {
        Layout layout = XWING.layout();
        byte[] packet = new byte[layout.packetSize()];
        try (var enc = TestNodes.XWING.kem().encapsulate(node.onionKey().publicKey())) {
            HopKeys keys = HopKeys.derive(TestNodes.XWING, enc.sharedSecret());
            System.arraycopy(node.onionKey().publicKey().keyId().bytes(), 0, packet, 0, 16);
            System.arraycopy(enc.ciphertext().bytes(), 0, packet, layout.ciphertextOffset(), layout.ciphertextSize());
            byte[] beta = new byte[layout.betaSize()];
            beta[0] = (byte) command;
            ChaCha20.xor(keys.headerKey, beta, 0, beta.length);
            System.arraycopy(beta, 0, packet, layout.betaOffset(), beta.length);
            byte[] mac = HmacSha256.mac(keys.macKey, beta, 0, beta.length);
            System.arraycopy(mac, 0, packet, layout.macOffset(), mac.length);
        }
        return assertThrows(OnionException.class, () -> XWING.unwrap(node.onionKey(), packet));
    }

    /** Passes {@code packet} through {@code route}, checking each next hop; returns the delivered payload. */
    static byte[] traverse(PacketFormat format, List<Node> route, byte[] packet) throws OnionException {
        for (int i = 0; i < route.size(); i++) {
            assertEquals(format.packetSize(), packet.length);
            Unwrapped u = format.unwrap(route.get(i).onionKey(), packet);
            assertEquals(32, u.replayTag().length);
            if (i < route.size() - 1) {
                Unwrapped.Relay relay = assertInstanceOf(Unwrapped.Relay.class, u, "hop " + i);
                assertEquals(route.get(i + 1).id(), relay.nextNode());
                assertEquals(route.get(i + 1).address(), relay.nextAddress());
                packet = relay.packet();
            } else {
                return assertInstanceOf(Unwrapped.Deliver.class, u, "last hop").payload();
            }
        }
        throw new AssertionError("empty route");
    }
}
