package org.qdht.channel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.ChannelException.Reason;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.channel.internal.TestParties.Party;

class HandshakeTest {
    private static final Party ALICE = new Party(TestParties.XWING, TestParties.XWING, TestParties.MLKEM768, TestParties.SLHDSA);
    private static final Party BOB = new Party(TestParties.XWING, TestParties.XWING, TestParties.MLKEM768, TestParties.SLHDSA);

    /** Runs a whole handshake in memory; returns {initiator's, responder's} results. */
    static Established[] handshake(Party initiator, Party responder, SuiteId suite, Optional<NodeId> expected,
            Optional<EncodedPublicKey> responderStatic, boolean fromHint) throws ChannelException {
        Initiator i = new Initiator(initiator, suite, 11, expected, responderStatic, 0, fromHint, System.currentTimeMillis());
        Packets.Init init = decodeInit(i.init().encode());
        Responder r = new Responder(responder, responder.suite(init.suite()).orElseThrow(), 22, init,
                init.staticCiphertext().flatMap(ct -> responder.staticKemKey(ct.recipientKey())));
        Packets.Response response = decodeResponse(r.respond().encode());
        Initiator.Outcome outcome = i.onResponse(response);
        Established atResponder = r.onFinish(decodeFinish(outcome.finish().encode()));
        return new Established[] {outcome.established(), atResponder};
    }

    @Test
    void xxHandshakeGivesBothSidesMatchingKeysAndIdentities() throws Exception {
        Established[] e = handshake(ALICE, BOB, SuiteId.XWING_MLDSA65, Optional.empty(), Optional.empty(), false);
        assertEquals(BOB.identity.nodeId(), e[0].peer());
        assertEquals(ALICE.identity.nodeId(), e[1].peer());
        assertEquals(SuiteId.XWING_MLDSA65, e[0].suite());
        assertTrue(e[0].peerStaticKem().isPresent(), "the responder hands out its static KEM key for IK");
        assertKeysWork(e);
    }

    @Test
    void ikHandshakeUsesTheResponderStaticKey() throws Exception {
        EncodedPublicKey bobStatic = BOB.staticKemKey(TestParties.XWING).publicKey();
        Established[] e = handshake(ALICE, BOB, SuiteId.XWING_MLDSA65, Optional.of(BOB.identity.nodeId()), Optional.of(bobStatic), false);
        assertEquals(BOB.identity.nodeId(), e[0].peer());
        assertTrue(e[0].peerStaticKem().isEmpty(), "an IK response does not repeat the static key the initiator just used");
        assertKeysWork(e);
    }

    @Test
    void ikToAnImpostorsStaticKeyFailsEvenBeforeSignatures() throws Exception {
        Party mallory = new Party(TestParties.XWING, TestParties.XWING);
        // Alice thinks Bob's static key is the one Bob holds, but Mallory answers: she cannot decapsulate.
        EncodedPublicKey bobStatic = BOB.staticKemKey(TestParties.XWING).publicKey();
        Initiator i = new Initiator(ALICE, SuiteId.XWING_MLDSA65, 11, Optional.of(BOB.identity.nodeId()), Optional.of(bobStatic), 0, false, System.currentTimeMillis());
        Packets.Init init = i.init();
        Responder r = new Responder(mallory, TestParties.XWING, 22, init, Optional.of(mallory.staticKemKey(TestParties.XWING)));
        ChannelException e = assertThrows(ChannelException.class, () -> i.onResponse(r.respond()));
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
    }

    @Test
    void conservativeSuiteHandshakes() throws Exception {
        Party carol = new Party(TestParties.SLHDSA, TestParties.SLHDSA, TestParties.XWING);
        Party dave = new Party(TestParties.SLHDSA, TestParties.SLHDSA, TestParties.XWING);
        Established[] e = handshake(carol, dave, SuiteId.MLKEM1024_SLHDSA_SHA2_128F, Optional.of(dave.identity.nodeId()), Optional.empty(), false);
        assertEquals(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, e[1].suite());
        assertKeysWork(e);
    }

    @Test
    void aManInTheMiddleWithAnotherIdentityFailsAuthentication() {
        Party mallory = new Party(TestParties.XWING, TestParties.XWING, TestParties.MLKEM768);
        ChannelException e = assertThrows(ChannelException.class,
                () -> handshake(ALICE, mallory, SuiteId.XWING_MLDSA65, Optional.of(BOB.identity.nodeId()), Optional.empty(), false));
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
        assertTrue(e.getMessage().contains("not the expected"), e.getMessage());
    }

    @Test
    void strippingTheInitiatorsSuitesIsDetectedAsDowngrade() throws Exception {
        Initiator i = new Initiator(ALICE, SuiteId.XWING_MLDSA65, 11, Optional.empty(), Optional.empty(), 0, false, System.currentTimeMillis());
        Packets.Init real = i.init();
        Packets.Init stripped = new Packets.Init(real.version(), real.initiatorIndex(), List.of(SuiteId.XWING_MLDSA65),
                real.suite(), real.ephemeral(), real.staticCiphertext(), real.random(), real.timestampMillis(), real.cookie());
        Responder r = new Responder(BOB, TestParties.XWING, 22, stripped, Optional.empty());
        // The responder echoes the list it received, so the initiator names the attack; a responder
        // that got a finish anyway (an attacker relaying it) sees the signed list differ from the init's.
        assertEquals(Reason.DOWNGRADE, assertThrows(ChannelException.class, () -> i.onResponse(r.respond())).reason());
        Initiator honest = new Initiator(ALICE, SuiteId.XWING_MLDSA65, 12, Optional.empty(), Optional.empty(), 0, false, System.currentTimeMillis());
        Responder r2 = new Responder(BOB, TestParties.XWING, 23, honest.init(), Optional.empty());
        Initiator.Outcome outcome = honest.onResponse(r2.respond());
        Packets.Init tamperedView = new Packets.Init(honest.init().version(), honest.init().initiatorIndex(), List.of(SuiteId.XWING_MLDSA65),
                honest.init().suite(), honest.init().ephemeral(), Optional.empty(), honest.init().random(), honest.init().timestampMillis(), new byte[0]);
        Responder fooled = new Responder(BOB, TestParties.XWING, 24, tamperedView, Optional.empty());
        fooled.respond();
        ChannelException e = assertThrows(ChannelException.class, () -> r2OnFinishWithInit(fooled, outcome));
        assertTrue(e.reason() == Reason.DOWNGRADE || e.reason() == Reason.AUTHENTICATION_FAILED, e.reason().toString());
    }

    private static Established r2OnFinishWithInit(Responder responder, Initiator.Outcome outcome) throws ChannelException {
        return responder.onFinish(outcome.finish());
    }

    @Test
    void aForgedRejectThatPushesAWorseSuiteIsDetected() {
        // Alice prefers X-Wing; a forged reject claimed Bob only has ML-KEM-768. Bob's signed list says otherwise.
        ChannelException e = assertThrows(ChannelException.class,
                () -> handshake(ALICE, BOB, SuiteId.MLKEM768_MLDSA65, Optional.empty(), Optional.empty(), true));
        assertEquals(Reason.DOWNGRADE, e.reason());
    }

    @Test
    void tamperedResponseFailsAuthentication() throws Exception {
        Initiator i = new Initiator(ALICE, SuiteId.XWING_MLDSA65, 11, Optional.empty(), Optional.empty(), 0, false, System.currentTimeMillis());
        Responder r = new Responder(BOB, TestParties.XWING, 22, i.init(), Optional.empty());
        Packets.Response good = r.respond();
        byte[] sealed = good.sealed();
        sealed[sealed.length / 2] ^= 1;
        ChannelException e = assertThrows(ChannelException.class,
                () -> i.onResponse(new Packets.Response(good.responderIndex(), good.initiatorIndex(), good.receivedOffer(), good.ephemeralCiphertext(), sealed)));
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
    }

    @Test
    void aPeerBelowThePuzzleMinimumIsRefused() {
        Party picky = new Party(TestParties.XWING, TestParties.XWING);
        picky.minDifficulty = 30;
        ChannelException e = assertThrows(ChannelException.class,
                () -> handshake(picky, BOB, SuiteId.XWING_MLDSA65, Optional.empty(), Optional.empty(), false));
        assertEquals(Reason.AUTHENTICATION_FAILED, e.reason());
        assertTrue(e.getMessage().contains("puzzle"), e.getMessage());
    }

    @Test
    void aRotatedIdentityIsAcceptedOnlyWithItsSignedRotation() throws Exception {
        Party erin = new Party(TestParties.XWING, TestParties.XWING, TestParties.SLHDSA);
        NodeId before = erin.identity.nodeId();
        erin.identity = erin.identity.rotateTo(TestParties.SLHDSA);
        Established[] e = handshake(ALICE, erin, SuiteId.XWING_MLDSA65, Optional.of(before), Optional.empty(), false);
        assertEquals(erin.identity.nodeId(), e[0].peer(), "the session now names the new identity");

        Party frank = new Party(TestParties.XWING, TestParties.XWING, TestParties.SLHDSA);
        NodeId frankBefore = frank.identity.nodeId();
        frank.identity = new TestParties.Identity(TestParties.SLHDSA, 4); // a new key without a rotation
        assertEquals(Reason.AUTHENTICATION_FAILED, assertThrows(ChannelException.class,
                () -> handshake(ALICE, frank, SuiteId.XWING_MLDSA65, Optional.of(frankBefore), Optional.empty(), false)).reason());
    }

    @Test
    void messagesAreSealedOpenedAndReplaysRefused() throws Exception {
        Established[] e = handshake(ALICE, BOB, SuiteId.XWING_MLDSA65, Optional.empty(), Optional.empty(), false);
        KeyEpoch a = new KeyEpoch(e[0], TestParties.XWING.aead());
        KeyEpoch b = new KeyEpoch(e[1], TestParties.XWING.aead());
        byte[] packet = a.seal(new byte[] {0, 5, 'h', 'i'});
        Packets.Data data = Packets.Data.decode(packet);
        assertArrayEquals(new byte[] {0, 5, 'h', 'i'}, b.open(data));
        assertEquals(Reason.REPLAY, assertThrows(ChannelException.class, () -> b.open(data)).reason());
        byte[] tampered = a.seal(new byte[] {0, 5, 'x'});
        tampered[tampered.length - 1] ^= 1;
        assertEquals(Reason.AUTHENTICATION_FAILED, assertThrows(ChannelException.class, () -> b.open(Packets.Data.decode(tampered))).reason());
        // the forged packet did not burn its counter: the genuine one with the same counter still opens
        List<byte[]> later = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            later.add(b.seal(new byte[] {0, 5, (byte) n}));
        }
        for (int n = 2; n >= 0; n--) {
            assertEquals(n, a.open(Packets.Data.decode(later.get(n)))[2], "out-of-order messages inside the window open");
        }
    }

    private static void assertKeysWork(Established[] e) throws ChannelException, org.qdht.api.wire.WireFormatException {
        KeyEpoch a = new KeyEpoch(e[0], TestParties.XWING.aead());
        KeyEpoch b = new KeyEpoch(e[1], TestParties.XWING.aead());
        assertArrayEquals(new byte[] {1, 2, 3}, b.open(Packets.Data.decode(a.seal(new byte[] {1, 2, 3}))));
        assertArrayEquals(new byte[] {4, 5}, a.open(Packets.Data.decode(b.seal(new byte[] {4, 5}))));
    }

    private static Packets.Init decodeInit(byte[] b) {
        try {
            return Packets.Init.decode(b);
        } catch (org.qdht.api.wire.WireFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static Packets.Response decodeResponse(byte[] b) {
        try {
            return Packets.Response.decode(b);
        } catch (org.qdht.api.wire.WireFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static Packets.Finish decodeFinish(byte[] b) {
        try {
            return Packets.Finish.decode(b);
        } catch (org.qdht.api.wire.WireFormatException e) {
            throw new AssertionError(e);
        }
    }
}
