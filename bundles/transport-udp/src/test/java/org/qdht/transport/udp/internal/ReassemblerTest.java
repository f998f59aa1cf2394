package org.qdht.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Reassembly with a hand-moved clock and small limits: 100-byte fragments, messages up to 1000 bytes. */
class ReassemblerTest {
    static final int MTU = 100;
    static final int MAX_MESSAGE = 1000;
    static final long TIMEOUT = 5000;

    final AtomicLong clock = new AtomicLong(1_000_000);
    final List<String> rejected = new ArrayList<>();
    final FragmentCodec codec = new FragmentCodec(MTU, MAX_MESSAGE);

    Reassembler reassembler(int perPeer, long maxBytes) {
        return new Reassembler(MAX_MESSAGE, perPeer, maxBytes, TIMEOUT, clock::get, rejected::add);
    }

    final Reassembler defaults = reassembler(32, 1 << 20);

    @Test
    void fragmentsInOrderCompleteTheMessageAtTheLastOne() throws Exception {
        byte[] message = FragmentCodecTest.randomBytes(950);
        List<Fragment> fragments = fragments(1, message);
        for (int i = 0; i < fragments.size() - 1; i++) {
            assertNull(defaults.accept("a", fragments.get(i)));
        }
        assertArrayEquals(message, defaults.accept("a", fragments.get(fragments.size() - 1)));
        assertNothingHeld(defaults);
        assertEquals(List.of(), rejected);
    }

    @Test
    void fragmentsInAnyOrderCompleteTheMessage() throws Exception {
        byte[] message = FragmentCodecTest.randomBytes(1000);
        for (long seed = 0; seed < 20; seed++) {
            List<Fragment> fragments = fragments((int) seed, message);
            Collections.shuffle(fragments, new Random(seed));
            byte[] result = null;
            for (Fragment f : fragments) {
                assertNull(result, "complete only once every fragment is in");
                result = defaults.accept("a", f);
            }
            assertArrayEquals(message, result, "order of seed " + seed);
        }
        assertNothingHeld(defaults);
    }

    @Test
    void messageOfOneFragmentPassesStraightThrough() throws Exception {
        byte[] message = {1, 2, 3};
        assertArrayEquals(message, defaults.accept("a", fragments(9, message).get(0)));
        assertNothingHeld(defaults);
    }

    @Test
    void duplicateFragmentsAreIgnored() throws Exception {
        byte[] message = FragmentCodecTest.randomBytes(250);
        List<Fragment> f = fragments(4, message);
        assertNull(defaults.accept("a", f.get(0)));
        assertNull(defaults.accept("a", f.get(0)));
        assertNull(defaults.accept("a", f.get(2)));
        assertNull(defaults.accept("a", f.get(2)));
        assertArrayEquals(message, defaults.accept("a", f.get(1)));
        assertEquals(List.of("duplicate", "duplicate"), rejected);
        assertNothingHeld(defaults);
    }

    @Test
    void lostFragmentLeavesTheMessageIncompleteUntilTheTimeoutDropsIt() throws Exception {
        List<Fragment> f = fragments(4, FragmentCodecTest.randomBytes(300));
        defaults.accept("a", f.get(0));
        defaults.accept("a", f.get(2)); // fragment 1 lost
        clock.addAndGet(TIMEOUT - 1);
        defaults.expire();
        assertEquals(1, defaults.partialMessages(), "not yet expired");
        clock.addAndGet(1);
        defaults.expire();
        assertNothingHeld(defaults);
        assertEquals(List.of("reassembly-timeout"), rejected);
        assertNull(defaults.accept("a", f.get(1)), "a late fragment starts afresh and cannot complete the dropped message");
    }

    @Test
    void timeoutCountsFromTheFirstFragment() throws Exception {
        List<Fragment> f = fragments(4, FragmentCodecTest.randomBytes(300));
        defaults.accept("a", f.get(0));
        clock.addAndGet(TIMEOUT - 10);
        defaults.accept("a", f.get(1)); // a trickle of fragments does not keep a message alive
        clock.addAndGet(10);
        defaults.expire();
        assertNothingHeld(defaults);
    }

    @Test
    void sameMessageIdFromTwoSourcesIsKeptApart() throws Exception {
        byte[] fromA = FragmentCodecTest.randomBytes(200);
        byte[] fromB = FragmentCodecTest.randomBytes(201);
        List<Fragment> a = fragments(77, fromA);
        List<Fragment> b = fragments(77, fromB);
        assertNull(defaults.accept("a", a.get(0)));
        assertNull(defaults.accept("b", b.get(0)));
        assertNull(defaults.accept("b", b.get(2)));
        assertArrayEquals(fromA, defaults.accept("a", a.get(1)));
        assertArrayEquals(fromB, defaults.accept("b", b.get(1)));
    }

    @Test
    void newMessageBeyondThePerPeerLimitEvictsThatPeersOldest() throws Exception {
        Reassembler r = reassembler(2, 1 << 20);
        List<Fragment> first = fragments(1, new byte[300]);
        List<Fragment> second = fragments(2, new byte[300]);
        List<Fragment> third = fragments(3, new byte[300]);
        r.accept("a", first.get(0));
        r.accept("a", second.get(0));
        r.accept("b", fragments(1, new byte[300]).get(0)); // another peer has its own allowance
        r.accept("a", third.get(0));
        assertEquals(List.of("reassembly-full"), rejected);
        assertEquals(3, r.partialMessages());
        assertNull(r.accept("a", first.get(1)));
        assertNull(r.accept("a", first.get(2)), "the evicted message cannot complete any more");
        assertNull(r.accept("a", third.get(1)));
        assertEquals(300, r.accept("a", third.get(2)).length, "the newest message was kept");
    }

    @Test
    void newMessageThatDoesNotFitTheMemoryLimitIsRefused() throws Exception {
        Reassembler r = reassembler(32, Reassembler.bytesCharged(MAX_MESSAGE, 10)); // exactly one largest message
        byte[] big = FragmentCodecTest.randomBytes(MAX_MESSAGE);
        List<Fragment> a = fragments(1, big);
        for (int i = 0; i < 9; i++) {
            r.accept("a", a.get(i));
        }
        assertNull(r.accept("b", fragments(2, new byte[300]).get(0)));
        assertEquals(List.of("reassembly-full"), rejected);
        assertTrue(r.bytesHeld() <= Reassembler.bytesCharged(MAX_MESSAGE, 10));
        assertArrayEquals(big, r.accept("a", a.get(9)), "the message already held still completes");
        assertNothingHeld(r);
        List<Fragment> b = fragments(2, new byte[300]);
        r.accept("b", b.get(0));
        r.accept("b", b.get(1));
        assertEquals(300, r.accept("b", b.get(2)).length, "memory freed by completion is available again");
    }

    @Test
    void fragmentThatDoesNotFitTheMemoryLimitDropsItsMessage() throws Exception {
        Reassembler r = reassembler(32, Reassembler.bytesCharged(MAX_MESSAGE, 10));
        List<Fragment> a = fragments(1, new byte[500]);
        for (Fragment f : a.subList(0, 4)) {
            r.accept("a", f);
        }
        long heldByA = r.bytesHeld();
        List<Fragment> b = fragments(2, new byte[MAX_MESSAGE]);
        int added = 0;
        while (rejected.isEmpty()) {
            r.accept("b", b.get(added++));
        }
        assertEquals(List.of("reassembly-full"), rejected);
        assertEquals(heldByA, r.bytesHeld(), "everything b held is released");
        assertEquals(1, r.partialMessages());
        assertEquals(500, r.accept("a", a.get(4)).length);
    }

    @Test
    void floodOfFirstFragmentsFromManySourcesStaysWithinTheMemoryLimit() throws Exception {
        long limit = 64 * 1024;
        Reassembler r = reassembler(32, limit);
        Fragment tiny = new Fragment(5, 0, 10, new byte[1]);
        for (int source = 0; source < 10_000; source++) {
            r.accept(source, tiny);
            assertTrue(r.bytesHeld() <= limit);
        }
        assertTrue(r.partialMessages() < 400, "overhead is charged, so 1-byte fragments cannot pile up: " + r.partialMessages());
        assertEquals(10_000 - r.partialMessages(), rejected.size());
        clock.addAndGet(TIMEOUT);
        r.expire();
        assertNothingHeld(r);
    }

    @Test
    void fragmentsThatDisagreeWithTheirMessageAreRejectedAlone() throws Exception {
        byte[] message = FragmentCodecTest.randomBytes(250);
        List<Fragment> f = fragments(4, message);
        defaults.accept("a", f.get(0));
        assertNull(defaults.accept("a", new Fragment(4, 1, 3, new byte[50])), "middle fragment shorter than the first");
        assertNull(defaults.accept("a", new Fragment(4, 2, 3, new byte[101])), "last fragment longer than the others");
        assertNull(defaults.accept("a", new Fragment(4, 1, 4, new byte[100])), "another fragment count");
        assertEquals(List.of("malformed", "malformed", "malformed"), rejected);
        defaults.accept("a", f.get(2));
        assertArrayEquals(message, defaults.accept("a", f.get(1)), "forged fragments did not spoil the real message");
    }

    @Test
    void lastFragmentFirstBoundsTheLengthOfTheOthers() throws Exception {
        defaults.accept("a", new Fragment(4, 2, 3, new byte[80]));
        assertNull(defaults.accept("a", new Fragment(4, 0, 3, new byte[70])));
        assertEquals(List.of("malformed"), rejected);
    }

    @Test
    void messageLargerThanTheLimitIsDroppedAsSoonAsItsSizeIsKnown() throws Exception {
        Reassembler small = new Reassembler(950, 32, 1 << 20, TIMEOUT, clock::get, rejected::add);
        List<Fragment> f = fragments(1, new byte[1000]); // ten fragments of 100: 1000 > 950
        small.accept("a", f.get(9));
        assertEquals(List.of(), rejected);
        small.accept("a", f.get(0));
        assertEquals(List.of("too-large"), rejected);
        assertNothingHeld(small);
    }

    private List<Fragment> fragments(int id, byte[] message) throws MalformedPacketException {
        List<Fragment> fragments = new ArrayList<>();
        for (byte[] packet : codec.encode(id, message)) {
            fragments.add(codec.decode(packet, packet.length));
        }
        return fragments;
    }

    private static void assertNothingHeld(Reassembler r) {
        assertEquals(0, r.partialMessages());
        assertEquals(0, r.bytesHeld());
    }
}
