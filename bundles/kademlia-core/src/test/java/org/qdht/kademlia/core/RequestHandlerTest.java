package org.qdht.kademlia.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.kademlia.core.TestPeers.memPeer;
import static org.qdht.kademlia.core.TestPeers.randomId;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.RecordStore;
import org.qdht.api.wire.WireFormatException;
import org.qdht.kademlia.core.DhtMessage.Answer;
import org.qdht.kademlia.core.DhtMessage.FindNode;
import org.qdht.kademlia.core.DhtMessage.FindValue;
import org.qdht.kademlia.core.DhtMessage.Nodes;
import org.qdht.kademlia.core.DhtMessage.Outcome;
import org.qdht.kademlia.core.DhtMessage.Ping;
import org.qdht.kademlia.core.DhtMessage.Pong;
import org.qdht.kademlia.core.DhtMessage.Request;
import org.qdht.kademlia.core.DhtMessage.Sender;
import org.qdht.kademlia.core.DhtMessage.Store;
import org.qdht.kademlia.core.DhtMessage.Value;
import org.qdht.kademlia.core.TestCrypto.Publisher;

class RequestHandlerTest {
    static final long NOW = 1_750_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final Publisher ALICE = new Publisher();
    static final Publisher BOB = new Publisher();
    static final Sender SENDER = new Sender(true, List.of(PeerAddress.parse("udp://203.0.113.5:4000")));

    private final Random random = new Random(21);
    private final NodeId self = randomId(random);
    private final RoutingTable table = new RoutingTable(self, KademliaParameters.defaults().withGroupLimits(KademliaParameters.MAX_K, 100_000));
    private final List<PeerInfo> known = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(NOW);
    private final InMemoryRecordStore store = new InMemoryRecordStore(new RecordStore.Limits(3, 4_096, 2), clock::get);
    private final RecordCheck check = new RecordCheck(TestCrypto.VERIFIER, TestCrypto.DIFFICULTY, 24 * HOUR, 4_096);
    private final Counters counters = new Counters();

    RequestHandlerTest() {
        for (int i = 0; i < 300; i++) {
            PeerInfo p = memPeer(randomId(random));
            if (table.admit(p, 0).outcome() == RoutingTable.Outcome.ADDED) {
                known.add(p);
            }
        }
    }

    private RequestHandler handler(boolean server) {
        return new RequestHandler(table, store, check, server, counters, clock::get);
    }

    /** Handles the request and checks that the answer survives the wire. */
    private Answer handle(RequestHandler handler, NodeId from, Request request) {
        Answer answer = handler.handle(from, request);
        assertEquals(request.requestId(), answer.requestId(), "the answer echoes the request id");
        try {
            assertEquals(answer, DhtMessages.decode(DhtMessages.encode(answer)));
        } catch (WireFormatException e) {
            throw new AssertionError(e);
        }
        return answer;
    }

    private static void assertRefused(String reason, Answer answer) {
        Outcome o = assertInstanceOf(Outcome.class, answer);
        assertEquals(Optional.of(reason), o.refusal(), o.detail());
        assertTrue(o.detail().length() > 0, "a refusal explains itself");
    }

    private static void assertStored(Answer answer) {
        Outcome o = assertInstanceOf(Outcome.class, answer);
        assertEquals(Optional.empty(), o.refusal(), o.detail());
    }

    @Test
    void pingIsAnsweredWithPong() {
        assertEquals(new Pong(7), handle(handler(true), randomId(random), new Ping(7, SENDER)));
        assertEquals(new Pong(-1), handle(handler(false), randomId(random), new Ping(-1, SENDER)), "client mode answers pings");
        assertEquals(2, counters.get("request-ping"));
    }

    @Test
    void findNodeAnswersTheClosestPeersExceptTheRequester() {
        RequestHandler handler = handler(true);
        for (int t = 0; t < 50; t++) {
            NodeId target = t % 2 == 0 ? randomId(random) : known.get(random.nextInt(known.size())).nodeId();
            int count = 1 + random.nextInt(KademliaParameters.defaults().k());
            // half the time the requester is among the closest: it is never told about itself
            PeerInfo requester = t % 2 == 0 ? known.get(random.nextInt(known.size())) : TestPeers.bruteForceClosest(known, target, 1).get(0);
            Nodes nodes = assertInstanceOf(Nodes.class, handle(handler, requester.nodeId(), new FindNode(t, SENDER, target, count)));
            List<PeerInfo> others = new ArrayList<>(known);
            others.remove(requester);
            assertEquals(TestPeers.bruteForceClosest(others, target, count), nodes.peers());
        }
        assertEquals(50, counters.get("request-findnode"));
    }

    @Test
    void findNodeNeverAnswersMoreThanK() {
        int k = KademliaParameters.defaults().k();
        Nodes nodes = assertInstanceOf(Nodes.class, handle(handler(true), randomId(random), new FindNode(1, SENDER, randomId(random), KademliaParameters.MAX_K)));
        assertEquals(k, nodes.peers().size(), "asked for 64, a node answers at most k");
    }

    @Test
    void findValueAnswersTheRecordAndTheClosestPeers() throws Exception {
        RequestHandler handler = handler(true);
        DhtKey key = DhtKey.ofName("find-value");
        NodeId requester = randomId(random);
        Value none = assertInstanceOf(Value.class, handle(handler, requester, new FindValue(3, SENDER, key, 5)));
        assertEquals(Optional.empty(), none.record());
        assertEquals(TestPeers.bruteForceClosest(known, key.asNodeId(), 5), none.closer());

        PublishedRecord r = ALICE.publish(key, "hello".getBytes(), 1, NOW + HOUR);
        store.store(r);
        Value found = assertInstanceOf(Value.class, handle(handler, requester, new FindValue(4, SENDER, key, 5)));
        assertEquals(Optional.of(r), found.record());
        assertEquals(5, found.closer().size());

        clock.set(NOW + HOUR);
        Value expired = assertInstanceOf(Value.class, handle(handler, requester, new FindValue(5, SENDER, key, 5)));
        assertEquals(Optional.empty(), expired.record(), "an expired record is never handed out");
        assertEquals(3, counters.get("request-findvalue"));
    }

    @Test
    void storeKeepsAValidRecord() {
        RequestHandler handler = handler(true);
        PublishedRecord r = ALICE.publish(DhtKey.ofName("a"), "hello".getBytes(), 1, NOW + HOUR);
        assertStored(handle(handler, ALICE.id, new Store(9, SENDER, r)));
        assertEquals(Optional.of(r), store.findPublished(DhtKey.ofName("a")));
        assertEquals(1, counters.get("record-stored"));
        assertEquals(1, counters.get("request-store"));
        assertStored(handle(handler, ALICE.id, new Store(10, SENDER, r)));
        assertEquals(1, store.size(), "storing the same record again is no error and no second copy");
    }

    @Test
    void storeRefusesRecordsThatFailTheChecksAndCountsThem() {
        RequestHandler handler = handler(true);
        DhtKey key = DhtKey.ofName("checks");
        PublishedRecord good = ALICE.publish(key, "hello".getBytes(), 1, NOW + HOUR);
        assertRefused("REJECTED", handle(handler, ALICE.id, new Store(1, SENDER, TestCrypto.flipSignatureBit(good, 17))));
        assertEquals(1, counters.get("record-forged"));
        assertRefused("EXPIRED", handle(handler, ALICE.id, new Store(2, SENDER, ALICE.publish(key, "x".getBytes(), 1, NOW))));
        assertEquals(1, counters.get("record-expired"));
        assertRefused("REJECTED", handle(handler, ALICE.id, new Store(3, SENDER, ALICE.publish(key, "x".getBytes(), 1, NOW + 25 * HOUR))));
        assertEquals(1, counters.get("record-too-long-lived"));
        assertRefused("REJECTED", handle(handler, ALICE.id, new Store(4, SENDER, ALICE.publish(key, new byte[4_097], 1, NOW + HOUR))));
        assertEquals(1, counters.get("record-oversized"));
        long bad = ALICE.nonce + 1;
        while (NodeIdPuzzle.verify(ALICE.id, bad, TestCrypto.DIFFICULTY)) {
            bad++;
        }
        PublishedRecord badPuzzle = new PublishedRecord(good.record(), good.publisherKey(), bad);
        assertRefused("REJECTED", handle(handler, ALICE.id, new Store(5, SENDER, badPuzzle)));
        assertEquals(1, counters.get("record-bad-puzzle"));
        assertEquals(0, store.size());
        assertEquals(0, counters.get("record-stored"));
    }

    @Test
    void storeRefusalsOfTheStoreAreCounted() {
        RequestHandler handler = handler(true);
        DhtKey key = DhtKey.ofName("refusals");
        assertStored(handle(handler, ALICE.id, new Store(1, SENDER, ALICE.publish(key, "v2".getBytes(), 2, NOW + HOUR))));
        assertRefused("STALE_VERSION", handle(handler, ALICE.id, new Store(2, SENDER, ALICE.publish(key, "v1".getBytes(), 1, NOW + HOUR))));
        assertEquals(1, counters.get("store-stale-version"));
        assertRefused("REJECTED", handle(handler, BOB.id, new Store(3, SENDER, BOB.publish(key, "mine".getBytes(), 9, NOW + HOUR))));
        assertEquals(1, counters.get("store-rejected"));
        assertStored(handle(handler, ALICE.id, new Store(4, SENDER, ALICE.publish(DhtKey.ofName("second"), "x".getBytes(), 1, NOW + HOUR))));
        assertRefused("STORE_FULL", handle(handler, ALICE.id, new Store(5, SENDER, ALICE.publish(DhtKey.ofName("third"), "x".getBytes(), 1, NOW + HOUR))));
        assertEquals(1, counters.get("store-store-full"), "two records per publisher");
        assertStored(handle(handler, BOB.id, new Store(6, SENDER, BOB.publish(DhtKey.ofName("bob"), "x".getBytes(), 1, NOW + HOUR))));
        assertRefused("STORE_FULL", handle(handler, BOB.id, new Store(7, SENDER, BOB.publish(DhtKey.ofName("bob2"), "x".getBytes(), 1, NOW + HOUR))));
        assertEquals(2, counters.get("store-store-full"), "three records in all");
        store.close();
        assertRefused("CLOSED", handle(handler, BOB.id, new Store(8, SENDER, BOB.publish(DhtKey.ofName("bob3"), "x".getBytes(), 1, NOW + HOUR))));
        assertEquals(1, counters.get("store-closed"));
        assertEquals(3, counters.get("record-stored"));
    }

    @Test
    void aClientModeNodeAnswersOnlyPings() {
        RequestHandler handler = handler(false);
        NodeId from = randomId(random);
        DhtKey key = DhtKey.ofName("client");
        assertRefused("NOT_SUPPORTED", handle(handler, from, new FindNode(1, SENDER, randomId(random), 20)));
        assertRefused("NOT_SUPPORTED", handle(handler, from, new FindValue(2, SENDER, key, 20)));
        assertRefused("NOT_SUPPORTED", handle(handler, from, new Store(3, SENDER, ALICE.publish(key, "x".getBytes(), 1, NOW + HOUR))));
        assertEquals(new Pong(4), handle(handler, from, new Ping(4, SENDER)));
        assertEquals(3, counters.get("refused-client-mode"));
        assertEquals(0, store.size());
        assertEquals(1, counters.get("request-findnode"));
        assertEquals(1, counters.get("request-findvalue"));
        assertEquals(1, counters.get("request-store"));
        assertEquals(1, counters.get("request-ping"));
    }
}
