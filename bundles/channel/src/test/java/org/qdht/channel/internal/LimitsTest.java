package org.qdht.channel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.wire.WireFormatException;

/** The small defences: replay window, peer pins, cookies and per-host rate limits. */
class LimitsTest {

    @Test
    void replayWindowAcceptsEachCounterOnceAndRefusesTheTooOld() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.mark(0));
        assertFalse(w.mark(0));
        assertTrue(w.mark(10));
        assertTrue(w.mark(5), "out of order inside the window");
        assertFalse(w.mark(5));
        assertTrue(w.mark(10 + ReplayWindow.SIZE));
        assertFalse(w.isFresh(10), "now older than the window");
        assertTrue(w.isFresh(11 + 1), "inside the window and unseen");
        assertTrue(w.mark(100_000), "a jump clears the window");
        assertFalse(w.isFresh(100_000 - ReplayWindow.SIZE));
        assertFalse(w.isFresh(-1));
        assertEquals(ReplayWindow.Verdict.SEEN, w.check(100_000));
        assertEquals(ReplayWindow.Verdict.TOO_OLD, w.check(100_000 - ReplayWindow.SIZE), "late and replayed look alike here");
        assertEquals(ReplayWindow.Verdict.FRESH, w.check(100_000 - 1));
    }

    @Test
    void peerBookRefusesASuiteDroppedSinceLastTimeAndSurvivesRestarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alpha.bin");
        NodeId peer = NodeId.of(new byte[32]);
        List<SuiteId> local = List.of(SuiteId.XWING_MLDSA65, SuiteId.MLKEM1024_SLHDSA_SHA2_128F);
        PeerBook book = new PeerBook(Optional.of(file));
        assertTrue(book.record(peer, SuiteId.XWING_MLDSA65, local, Optional.empty()));
        book.save();

        PeerBook reloaded = new PeerBook(Optional.of(file));
        reloaded.load();
        assertEquals(Set.of(SuiteId.XWING_MLDSA65), reloaded.usedSuites(peer));
        reloaded.checkNoDowngrade(peer, List.of(SuiteId.XWING_MLDSA65), local);
        ChannelException e = assertThrows(ChannelException.class,
                () -> reloaded.checkNoDowngrade(peer, List.of(SuiteId.MLKEM512_MLDSA44), local));
        assertEquals(ChannelException.Reason.DOWNGRADE, e.reason());
        assertTrue(e.getMessage().contains("channel:forget"), e.getMessage());
        // a suite this node no longer holds is not a downgrade: the peer cannot offer what we cannot use
        reloaded.checkNoDowngrade(peer, List.of(SuiteId.MLKEM1024_SLHDSA_SHA2_128F), List.of(SuiteId.MLKEM1024_SLHDSA_SHA2_128F));
        assertTrue(reloaded.forget(peer));
        reloaded.checkNoDowngrade(peer, List.of(SuiteId.MLKEM512_MLDSA44), local);
    }

    @Test
    void aDamagedPeerBookIsAnErrorNotASilentReset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("beta.bin");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        assertThrows(WireFormatException.class, () -> new PeerBook(Optional.of(file)).load());
    }

    @Test
    void cookiesAreBoundToTheAddressAndExpire() throws Exception {
        TestParties.Party alice = new TestParties.Party(TestParties.XWING, TestParties.XWING);
        Packets.Init init = new Initiator(alice, SuiteId.XWING_MLDSA65, 7, Optional.empty(), Optional.empty(), 0, false, 0).init();
        CookieJar jar = new CookieJar(1_000, 0);
        byte[] cookie = jar.issue("udp://10.0.0.1:4000", init, 0);
        assertTrue(jar.isValid(cookie, "udp://10.0.0.1:4000", init, 10));
        assertFalse(jar.isValid(cookie, "udp://10.0.0.2:4000", init, 10), "another address");
        assertTrue(jar.isValid(cookie, "udp://10.0.0.1:4000", init, 1_500), "the previous secret still counts");
        assertFalse(jar.isValid(cookie, "udp://10.0.0.1:4000", init, 2_600), "two rotations later");
        assertFalse(jar.isValid(new byte[0], "udp://10.0.0.1:4000", init, 10));
    }

    @Test
    void theTestVerifierChecksRecordSignaturesForReal() throws Exception {
        TestParties.Identity owner = new TestParties.Identity(TestParties.XWING, 4);
        TestParties.Verifier verifier = new TestParties.Verifier(java.util.List.of(TestParties.XWING));
        org.qdht.api.routing.Record unsigned = org.qdht.api.routing.Record.unsigned(org.qdht.api.routing.DhtKey.ofName("k"),
                new byte[] {1, 2, 3}, 1, Long.MAX_VALUE, owner.nodeId(), owner.suite(), owner.signingKey().keyId(), false);
        org.qdht.api.routing.Record signed = unsigned.withSignature(owner.sign(unsigned.toBeSigned()).bytes());
        assertTrue(verifier.verify(signed, owner.signingKey()));
        assertFalse(verifier.verify(unsigned, owner.signingKey()), "unsigned");
        TestParties.Identity other = new TestParties.Identity(TestParties.XWING, 4);
        assertFalse(verifier.verify(signed, other.signingKey()), "another key");
    }

    @Test
    void rateLimiterAllowsTheBurstThenTheRatePerHost() {
        RateLimiter limiter = new RateLimiter(10, 5);
        long t = 1_000_000_000L;
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += limiter.tryAcquire("10.0.0.1", t) ? 1 : 0;
        }
        assertEquals(5, allowed, "the burst");
        assertTrue(limiter.tryAcquire("10.0.0.2", t), "other hosts have their own bucket");
        assertFalse(limiter.tryAcquire("10.0.0.1", t + 50_000_000L), "half a token after 50 ms");
        assertTrue(limiter.tryAcquire("10.0.0.1", t + 150_000_000L), "a token after 100 ms more");
    }
}
