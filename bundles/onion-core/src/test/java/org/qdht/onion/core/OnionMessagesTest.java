package org.qdht.onion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.wire.WireFormatException;
import org.qdht.onion.core.OnionMessages.Found;
import org.qdht.onion.core.OnionMessages.Get;
import org.qdht.onion.core.OnionMessages.Kind;
import org.qdht.onion.core.OnionMessages.Lookup;
import org.qdht.onion.core.OnionMessages.Peers;
import org.qdht.onion.core.OnionMessages.Refused;
import org.qdht.onion.core.OnionMessages.Stored;

class OnionMessagesTest {
    private static final PacketFormat FORMAT = PacketFormat.defaults(TestNodes.XWING);
    private static final byte[] ID = TestNodes.randomBytes(OnionMessages.REQUEST_ID_LENGTH);

    private static Surb surb() throws OnionException {
        TestNodes.Node requester = TestNodes.node(TestNodes.XWING, 30);
        return FORMAT.newSurb(TestNodes.hops(TestNodes.nodes(TestNodes.XWING, 2)), requester.id(), requester.address()).surb();
    }

    @Test
    void requestsRoundTripAndFitAPacket() throws Exception {
        Surb surb = surb();
        byte[] get = OnionMessages.encode(new Get(ID, surb, DhtKey.ofName("x")));
        Get g = assertInstanceOf(Get.class, OnionMessages.decodeRequest(get, FORMAT));
        assertEquals(DhtKey.ofName("x"), g.key());
        assertEquals(surb, g.replyBlock());
        assertArrayEquals(ID, g.requestId());
        assertTrue(get.length <= FORMAT.maxMessageSize(), "a get with its reply block fits: " + get.length);

        NodeId target = TestNodes.node(TestNodes.XWING, 3).id();
        Lookup l = assertInstanceOf(Lookup.class, OnionMessages.decodeRequest(OnionMessages.encode(new Lookup(ID, surb, target, 8)), FORMAT));
        assertEquals(target, l.target());
        assertEquals(8, l.count());
    }

    @Test
    void repliesRoundTrip() throws Exception {
        assertEquals(Optional.empty(), ((Found) OnionMessages.decodeReply(OnionMessages.encode(new Found(ID, Optional.empty())), Kind.GET)).record());
        assertEquals(7, ((Stored) OnionMessages.decodeReply(OnionMessages.encode(new Stored(ID, 7)), Kind.PUT)).copies());
        PeerInfo peer = PeerInfo.of(TestNodes.node(TestNodes.XWING, 4).id(), List.of(PeerAddress.parse("udp://192.0.2.1:4000")));
        assertEquals(List.of(peer), ((Peers) OnionMessages.decodeReply(OnionMessages.encode(new Peers(ID, List.of(peer))), Kind.LOOKUP)).peers());
        Refused r = (Refused) OnionMessages.decodeReply(OnionMessages.encode(new Refused(ID, "STORE_FULL", "full")), Kind.PUT);
        assertEquals("STORE_FULL", r.reason());
        assertEquals("full", r.message());
    }

    @Test
    void malformedMessagesAreRefusedWithAReason() throws Exception {
        byte[] get = OnionMessages.encode(new Get(ID, surb(), DhtKey.ofName("x")));
        byte[] longer = java.util.Arrays.copyOf(get, get.length + 1);
        assertThrows(WireFormatException.class, () -> OnionMessages.decodeRequest(longer, FORMAT), "trailing bytes");
        byte[] shorter = java.util.Arrays.copyOf(get, get.length - 1);
        assertThrows(WireFormatException.class, () -> OnionMessages.decodeRequest(shorter, FORMAT), "truncated");
        byte[] wrongVersion = get.clone();
        wrongVersion[0] = 9;
        assertThrows(WireFormatException.class, () -> OnionMessages.decodeRequest(wrongVersion, FORMAT));
        byte[] wrongKind = get.clone();
        wrongKind[1] = 9;
        assertThrows(WireFormatException.class, () -> OnionMessages.decodeRequest(wrongKind, FORMAT));
        byte[] lookup = OnionMessages.encode(new Lookup(ID, surb(), TestNodes.node(TestNodes.XWING, 3).id(), 8));
        lookup[lookup.length - 1] = 0;
        assertThrows(WireFormatException.class, () -> OnionMessages.decodeRequest(lookup, FORMAT), "a lookup of 0 peers");
    }

    @Test
    void descriptorsRoundTripAndRefuseWhatIsNotAnOnionKey() throws Exception {
        var relay = TestNodes.node(TestNodes.XWING, 5);
        OnionKeyDescriptor d = new OnionKeyDescriptor(relay.id(), 42, List.of(relay.address()), relay.onionKey().publicKey());
        OnionKeyDescriptor back = OnionKeyDescriptor.decode(d.encode());
        assertEquals(d.relay(), back.relay());
        assertEquals(42, back.epoch());
        assertEquals(d.addresses(), back.addresses());
        assertArrayEquals(d.onionKey().key(), back.onionKey().key());
        assertTrue(!OnionKeyDescriptor.keyFor(relay.id(), 42).equals(OnionKeyDescriptor.keyFor(relay.id(), 43)), "a key per epoch");
        var signing = TestNodes.XWING.signatures().generateKeyPair().publicKey();
        assertEquals(KeyPurpose.SIGNATURE, signing.purpose());
        assertThrows(IllegalArgumentException.class, () -> new OnionKeyDescriptor(relay.id(), 1, List.of(relay.address()), signing));
        assertThrows(WireFormatException.class, () -> OnionKeyDescriptor.decode(new byte[OnionKeyDescriptor.MAX_SIZE + 1]));
    }
}
