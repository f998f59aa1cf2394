package org.qdht.channel.internal;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.qdht.api.NodeId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.wire.WireFormatException;

/**
 * One complete handshake between two {@link BenchParty}s in memory, as the channel's
 * {@code NodeChannel} drives it but without I/O, timers or bookkeeping: every packet is encoded and
 * decoded as on the wire, and the handshake ends with the responder's confirm message (a data
 * packet carrying the 3-byte control message "confirm") opened by the initiator. Both sides'
 * work runs on the calling thread, so its time is the CPU cost of one handshake for both peers.
 */
final class InMemoryHandshake {
    /** The plaintext of the confirm message: protocol 0 (control), kind 1 (confirm), see {@code Session}. */
    static final byte[] CONFIRM_PLAINTEXT = {(byte) (Session.CONTROL >>> 8), (byte) Session.CONTROL, Session.CONTROL_CONFIRM};

    private static final AtomicLong NEXT_INDEX = new AtomicLong(1);

    private InMemoryHandshake() {
    }

    /** Encoded sizes of the packets of one handshake, in bytes, without any transport framing. */
    record Sizes(int init, int response, int finish, int confirm) {
        int total() {
            return init + response + finish + confirm;
        }
    }

    /**
     * Runs one handshake from {@code initiator} to {@code responder} under the initiator's active
     * suite: IK when {@code ik} (the initiator knows the responder's static KEM key, made once and
     * cached by the responder), XX otherwise. The initiator expects the responder's NodeId in both
     * cases, as a node connecting to a known peer does. Returns the packet sizes; throws if any check
     * fails, so a broken handshake cannot pass for a fast one.
     */
    static Sizes run(BenchParty initiator, BenchParty responder, boolean ik) throws ChannelException, WireFormatException {
        Optional<NodeId> expected = Optional.of(responder.identity.nodeId());
        Optional<EncodedPublicKey> responderStatic = ik
                ? Optional.of(responder.staticKemKey(responder.suite(initiator.active().id()).orElseThrow()).publicKey())
                : Optional.empty();
        Initiator i = new Initiator(initiator, initiator.active().id(), index(), expected, responderStatic, 0, false,
                System.currentTimeMillis());
        Responder r = null;
        KeyEpoch atInitiator = null;
        KeyEpoch atResponder = null;
        try {
            byte[] initPacket = i.init().encode();
            Packets.Init init = Packets.Init.decode(initPacket);
            Optional<KeyPair> staticKey = init.staticCiphertext().flatMap(ct -> responder.staticKemKey(ct.recipientKey()));
            if (init.staticCiphertext().isPresent() && staticKey.isEmpty()) {
                throw new IllegalStateException("the responder does not find its static key");
            }
            r = new Responder(responder, responder.suite(init.suite()).orElseThrow(), index(), init, staticKey);
            byte[] responsePacket = r.respond().encode();
            Initiator.Outcome outcome = i.onResponse(Packets.Response.decode(responsePacket));
            byte[] finishPacket = outcome.finish().encode();
            Established established = r.onFinish(Packets.Finish.decode(finishPacket));
            atResponder = new KeyEpoch(established, responder.active().aead());
            byte[] confirm = atResponder.seal(CONFIRM_PLAINTEXT);
            atInitiator = new KeyEpoch(outcome.established(), initiator.active().aead());
            byte[] opened = atInitiator.open(Packets.Data.decode(confirm));
            if (opened.length != CONFIRM_PLAINTEXT.length || opened[2] != Session.CONTROL_CONFIRM) {
                throw new IllegalStateException("the confirm message did not survive the session keys");
            }
            return new Sizes(initPacket.length, responsePacket.length, finishPacket.length, confirm.length);
        } finally {
            // what NodeChannel does once a session is confirmed or given up: handshake secrets are wiped
            i.close();
            if (r != null) {
                r.close();
            }
            if (atInitiator != null) {
                atInitiator.destroy();
            }
            if (atResponder != null) {
                atResponder.destroy();
            }
        }
    }

    /** Session indexes: any non-zero u32 will do. */
    private static long index() {
        while (true) {
            long i = NEXT_INDEX.getAndIncrement() & 0xFFFFFFFFL;
            if (i != 0) {
                return i;
            }
        }
    }
}
