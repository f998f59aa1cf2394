package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.kademlia.core.TestPeers.randomId;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.routing.DhtException;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireFormatException.Reason;
import org.qdht.api.wire.WireWriter;
import org.qdht.kademlia.core.DhtMessage.FindNode;
import org.qdht.kademlia.core.DhtMessage.FindValue;
import org.qdht.kademlia.core.DhtMessage.Nodes;
import org.qdht.kademlia.core.DhtMessage.Outcome;
import org.qdht.kademlia.core.DhtMessage.Ping;
import org.qdht.kademlia.core.DhtMessage.Pong;
import org.qdht.kademlia.core.DhtMessage.Sender;
import org.qdht.kademlia.core.DhtMessage.Store;
import org.qdht.kademlia.core.DhtMessage.Value;
import org.qdht.kademlia.core.TestCrypto.Publisher;

class DhtMessagesTest {
    static final long NOW = 1_750_000_000_000L;
    static final Publisher ALICE = new Publisher();
    static final Publisher BOB = new Publisher();
    static final Random RANDOM = new Random(31);
    static final Sender SENDER = new Sender(true, List.of(PeerAddress.parse("udp://203.0.113.5:4000")));
    static final PublishedRecord RECORD = ALICE.publish(DhtKey.ofName("k"), "hello, world".getBytes(), 3, NOW + 60_000);
    static final PublishedRecord TOMBSTONE = ALICE.tombstone(DhtKey.ofName("k"), 4, NOW + 60_000);
    static final PublishedRecord BIG = BOB.publish(DhtKey.ofName("big"), new byte[4_096], Long.MAX_VALUE, Long.MAX_VALUE);

    static List<PeerInfo> peers(int n) {
        List<PeerInfo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<PeerAddress> addresses = new ArrayList<>();
            for (int a = 0; a <= i % PeerInfo.MAX_ADDRESSES; a++) {
                addresses.add(a % 2 == 0 ? PeerAddress.parse("udp://198.51.100." + a + ":" + (4000 + i)) : PeerAddress.parse("quic://[2001:db8::" + a + "]:443"));
            }
            out.add(PeerInfo.of(randomId(RANDOM), addresses));
        }
        return out;
    }

    static List<DhtMessage> samples() {
        List<PeerAddress> eight = new ArrayList<>();
        for (int i = 0; i < PeerInfo.MAX_ADDRESSES; i++) {
            eight.add(PeerAddress.parse("udp://10.0.0." + i + ":4000"));
        }
        List<DhtMessage> m = new ArrayList<>();
        m.add(new Ping(0, SENDER));
        m.add(new Ping(-1, new Sender(false, List.of())));
        m.add(new Ping(Integer.MAX_VALUE, new Sender(true, eight)));
        m.add(new Pong(0));
        m.add(new Pong(Integer.MIN_VALUE));
        m.add(new FindNode(1, SENDER, randomId(RANDOM), 1));
        m.add(new FindNode(2, new Sender(false, List.of()), randomId(RANDOM), KademliaParameters.MAX_K));
        m.add(new Nodes(3, List.of()));
        m.add(new Nodes(4, peers(KademliaParameters.MAX_K)));
        m.add(new FindValue(5, SENDER, DhtKey.ofName("k"), 20));
        m.add(new Value(6, Optional.empty(), List.of()));
        m.add(new Value(7, Optional.of(RECORD), peers(20)));
        m.add(new Value(8, Optional.of(TOMBSTONE), List.of()));
        m.add(new Store(9, SENDER, RECORD));
        m.add(new Store(10, new Sender(false, List.of()), BIG));
        m.add(new Outcome(11, Optional.empty(), ""));
        m.add(new Outcome(12, Optional.of("STALE_VERSION"), "version 1 is not newer than the stored version 2"));
        m.add(new Outcome(13, Optional.empty(), "é€𝄞".repeat(10)));
        for (DhtException.Reason r : DhtException.Reason.values()) {
            m.add(new Outcome(100 + r.ordinal(), Optional.of(r.name()), r.name().toLowerCase()));
        }
        return m;
    }

    private static Reason reasonOf(byte[] bytes) {
        return assertThrows(WireFormatException.class, () -> DhtMessages.decode(bytes)).reason();
    }

    @Test
    void everyMessageTypeSurvivesARoundTrip() throws WireFormatException {
        List<DhtMessage> samples = samples();
        assertEquals(8, samples.stream().map(Object::getClass).distinct().count(), "every type is covered");
        for (DhtMessage m : samples) {
            byte[] bytes = DhtMessages.encode(m);
            assertTrue(bytes.length <= DhtMessages.MAX_MESSAGE_SIZE);
            assertEquals(DhtMessages.VERSION, bytes[0]);
            DhtMessage decoded = DhtMessages.decode(bytes);
            assertEquals(m, decoded, m.getClass().getSimpleName());
            assertArrayEquals(bytes, DhtMessages.encode(decoded));
            assertEquals(m instanceof DhtMessage.Answer, DhtMessages.isAnswer(decoded));
        }
    }

    @Test
    void aDecodedRecordStillVerifies() throws WireFormatException {
        Value v = (Value) DhtMessages.decode(DhtMessages.encode(new Value(1, Optional.of(RECORD), List.of())));
        RecordCheck check = new RecordCheck(TestCrypto.VERIFIER, TestCrypto.DIFFICULTY, 86_400_000L, 65_536);
        assertEquals(RecordCheck.Verdict.VALID, check.check(v.record().get(), NOW));
    }

    @Test
    void everyTruncationFails() {
        for (DhtMessage m : samples()) {
            byte[] bytes = DhtMessages.encode(m);
            for (int length = 0; length < bytes.length; length++) {
                byte[] prefix = Arrays.copyOf(bytes, length);
                WireFormatException e = assertThrows(WireFormatException.class, () -> DhtMessages.decode(prefix),
                        m.getClass().getSimpleName() + " cut to " + length);
                assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.MALFORMED, e.getMessage());
            }
        }
    }

    @Test
    void trailingBytesAreRefused() {
        for (DhtMessage m : samples()) {
            byte[] bytes = DhtMessages.encode(m);
            assertEquals(Reason.TRAILING_BYTES, reasonOf(Arrays.copyOf(bytes, bytes.length + 1)), m.getClass().getSimpleName());
            byte[] more = Arrays.copyOf(bytes, bytes.length + 3);
            more[bytes.length] = 1;
            assertEquals(Reason.TRAILING_BYTES, reasonOf(more));
        }
    }

    @Test
    void oversizedInputIsRefusedBeforeDecoding() {
        byte[] huge = Arrays.copyOf(DhtMessages.encode(new Pong(1)), DhtMessages.MAX_MESSAGE_SIZE + 1);
        assertEquals(Reason.OVERSIZED, reasonOf(huge));
        assertEquals(Reason.OVERSIZED, reasonOf(new byte[DhtMessages.MAX_MESSAGE_SIZE + 1]));
        assertEquals(Reason.TRAILING_BYTES, reasonOf(Arrays.copyOf(DhtMessages.encode(new Pong(1)), DhtMessages.MAX_MESSAGE_SIZE)));
    }

    @Test
    void theLargestValueAnswerFits() throws WireFormatException {
        byte[] key = new byte[EncodedPublicKey.MAX_KEY_SIZE];
        RANDOM.nextBytes(key);
        SuiteId suite = SuiteId.of(0xF001);
        EncodedPublicKey publicKey = EncodedPublicKey.of(suite, KeyPurpose.SIGNATURE, key);
        NodeId publisher = NodeIdPuzzle.nodeIdOf(suite, key);
        Record record = Record.unsigned(DhtKey.ofName("max"), new byte[Record.MAX_VALUE_SIZE], Long.MAX_VALUE, Long.MAX_VALUE,
                publisher, suite, publicKey.keyId(), false).withSignature(new byte[Record.MAX_SIGNATURE_SIZE]);
        List<PeerInfo> widest = new ArrayList<>();
        for (int i = 0; i < KademliaParameters.MAX_K; i++) {
            List<PeerAddress> addresses = new ArrayList<>();
            for (int a = 0; a < PeerInfo.MAX_ADDRESSES; a++) {
                addresses.add(PeerAddress.of("x".repeat(PeerAddress.MAX_SCHEME_LENGTH), ("" + a).repeat(PeerAddress.MAX_LOCATION_LENGTH)));
            }
            widest.add(PeerInfo.of(randomId(RANDOM), addresses));
        }
        Value largest = new Value(Integer.MAX_VALUE, Optional.of(new PublishedRecord(record, publicKey, Long.MIN_VALUE)), widest);
        byte[] bytes = DhtMessages.encode(largest);
        assertTrue(bytes.length <= DhtMessages.MAX_MESSAGE_SIZE, bytes.length + " > " + DhtMessages.MAX_MESSAGE_SIZE);
        assertEquals(largest, DhtMessages.decode(bytes));
    }

    @Test
    void unknownVersionsAndTypesAreRefused() {
        byte[] pong = DhtMessages.encode(new Pong(5));
        for (int version : new int[] { 0, 2, 255 }) {
            byte[] b = pong.clone();
            b[0] = (byte) version;
            assertEquals(Reason.UNSUPPORTED_VERSION, reasonOf(b));
        }
        for (int type : new int[] { 0, 9, 127, 255 }) {
            byte[] b = pong.clone();
            b[1] = (byte) type;
            assertEquals(Reason.WRONG_TYPE, reasonOf(b), "type " + type);
        }
        assertEquals(Reason.TRUNCATED, reasonOf(new byte[0]));
        assertEquals(Reason.TRUNCATED, reasonOf(new byte[] { 1 }));
    }

    @Test
    void countsOutOfRangeAreRefused() {
        for (DhtMessage m : List.of(new FindNode(1, SENDER, randomId(RANDOM), 1), new FindValue(1, SENDER, DhtKey.ofName("x"), 1))) {
            byte[] b = DhtMessages.encode(m);
            for (int count : new int[] { 0, KademliaParameters.MAX_K + 1, 255 }) {
                b[b.length - 1] = (byte) count;
                assertEquals(Reason.MALFORMED, reasonOf(b), m.getClass().getSimpleName() + " count " + count);
            }
            b[b.length - 1] = (byte) KademliaParameters.MAX_K;
            DhtMessage largest = assertDecodes(b);
            assertEquals(KademliaParameters.MAX_K, largest instanceof FindNode f ? f.count() : ((FindValue) largest).count());
        }
        // 65 peers in a Nodes answer, or in a Value answer
        List<PeerInfo> many = peers(KademliaParameters.MAX_K + 1);
        WireWriter nodes = header(4, 1);
        nodes.list(many, 1_000, PeerInfo::writeTo);
        assertEquals(Reason.OVERSIZED, reasonOf(nodes.toByteArray()));
        WireWriter value = header(6, 1).bool(false);
        value.list(many, 1_000, PeerInfo::writeTo);
        assertEquals(Reason.OVERSIZED, reasonOf(value.toByteArray()));
        // nine sender addresses
        List<PeerAddress> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(PeerAddress.parse("udp://10.0.0." + i + ":1"));
        }
        WireWriter ping = header(1, 1).bool(true);
        ping.list(nine, 100, PeerAddress::writeTo);
        assertEquals(Reason.OVERSIZED, reasonOf(ping.toByteArray()));
        // a count that announces more peers than there are bytes
        assertEquals(Reason.TRUNCATED, reasonOf(header(4, 1).varint(40).u8(0).toByteArray()));
        // the encoder refuses the same
        assertThrows(IllegalArgumentException.class, () -> DhtMessages.encode(new Nodes(1, many)));
        assertThrows(IllegalArgumentException.class, () -> DhtMessages.encode(new Value(1, Optional.empty(), many)));
        assertThrows(IllegalArgumentException.class, () -> new Sender(true, nine));
        assertThrows(IllegalArgumentException.class, () -> DhtMessages.encode(new FindNode(1, SENDER, randomId(RANDOM), 256)));
    }

    private static DhtMessage assertDecodes(byte[] b) {
        try {
            return DhtMessages.decode(b);
        } catch (WireFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static WireWriter header(int type, int requestId) {
        return new WireWriter().u8(DhtMessages.VERSION).u8(type).u32(requestId);
    }

    @Test
    void malformedFieldsAreRefused() {
        // flags that are neither 0 nor 1
        assertEquals(Reason.MALFORMED, reasonOf(header(1, 1).u8(2).varint(0).toByteArray()));
        assertEquals(Reason.MALFORMED, reasonOf(header(6, 1).u8(2).varint(0).toByteArray()));
        // a peer without an address
        assertEquals(Reason.MALFORMED, reasonOf(header(4, 1).varint(1).raw(new byte[32]).varint(0).toByteArray()));
        // a bad address
        assertEquals(Reason.MALFORMED, reasonOf(header(1, 1).bool(true).varint(1).string("UDP", 16).string("x", 255).toByteArray()));
        // a length that is not in its shortest form
        assertEquals(Reason.NON_CANONICAL, reasonOf(header(4, 1).u8(0x80).u8(0x00).toByteArray()));
        // refusals must name a DhtException reason
        assertEquals(Reason.MALFORMED, reasonOf(header(8, 1).string("NOPE", 32).string("", 200).toByteArray()));
        assertEquals(Reason.MALFORMED, reasonOf(header(8, 1).string("rejected", 32).string("", 200).toByteArray()));
        assertEquals(Reason.OVERSIZED, reasonOf(header(8, 1).string("R".repeat(33), 33).string("", 200).toByteArray()));
        assertEquals(Reason.OVERSIZED, reasonOf(header(8, 1).string("", 32).string("d".repeat(201), 201).toByteArray()));
        assertEquals(Reason.MALFORMED, reasonOf(header(8, 1).string("", 32).bytes(new byte[] { (byte) 0xC3, 0x28 }, 200).toByteArray()));
        // a record travelling with a key that did not make it
        WireWriter store = header(7, 1).bool(true).varint(0);
        Record.CODEC.write(RECORD.record(), store);
        BOB.key.publicKey().writeTo(store);
        store.i64(BOB.nonce);
        assertEquals(Reason.MALFORMED, reasonOf(store.toByteArray()));
    }

    @Test
    void aLongDetailIsCutToAValidPrefix() throws WireFormatException {
        for (String unit : List.of("a", "é", "€", "𝄞", "a𝄞", "ab𝄞", "abc𝄞")) {
            String detail = unit.repeat(300);
            Outcome decoded = (Outcome) DhtMessages.decode(DhtMessages.encode(new Outcome(1, Optional.of("REJECTED"), detail)));
            int bytes = decoded.detail().getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= DhtMessages.MAX_DETAIL_BYTES && bytes > DhtMessages.MAX_DETAIL_BYTES - 4, unit + ": " + bytes + " bytes");
            assertTrue(detail.startsWith(decoded.detail()), unit + ": '" + decoded.detail() + "' is no prefix");
        }
        assertEquals("", ((Outcome) DhtMessages.decode(DhtMessages.encode(new Outcome(1, Optional.empty(), null)))).detail());
    }

    @Test
    void aHugeDetailIsCutQuickly() {
        String detail = "x".repeat(2_000_000);
        byte[] bytes = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> DhtMessages.encode(new Outcome(1, Optional.empty(), detail)));
        assertTrue(bytes.length < 300);
    }

    @Test
    void answersAndRequestsAreToldApart() {
        assertTrue(DhtMessages.isAnswer(new Pong(1)));
        assertTrue(DhtMessages.isAnswer(new Nodes(1, List.of())));
        assertTrue(DhtMessages.isAnswer(new Value(1, Optional.empty(), List.of())));
        assertTrue(DhtMessages.isAnswer(new Outcome(1, Optional.empty(), "")));
        assertFalse(DhtMessages.isAnswer(new Ping(1, SENDER)));
        assertFalse(DhtMessages.isAnswer(new FindNode(1, SENDER, randomId(RANDOM), 3)));
        assertFalse(DhtMessages.isAnswer(new FindValue(1, SENDER, DhtKey.ofName("x"), 3)));
        assertFalse(DhtMessages.isAnswer(new Store(1, SENDER, RECORD)));
    }
}
