package org.qdht.benchmarks.onion.packets;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.routing.DhtKey;
import org.qdht.crypto.bc.Suites;
import org.qdht.onion.core.Hop;
import org.qdht.onion.core.OnionException;
import org.qdht.onion.core.OnionMessages;
import org.qdht.onion.core.PacketFormat;
import org.qdht.onion.core.SurbPair;
import org.qdht.onion.core.Unwrapped;

/**
 * Three relays and a requester of one suite, and what the benchmarks work on: a 3-hop get request
 * as the onion client builds it (an {@link OnionMessages.Get} carrying a reply block over the two
 * relays before the exit), the same request as it reaches the exit, a reply block, and a KEM
 * ciphertext for the first relay's onion key. The constructor checks that the request travels the
 * route and that a reply opens, so a broken fixture fails instead of giving a fast figure.
 */
final class PacketFixture {
    /** The suites measured: the default, the one of the KEMSphinx figure, and the strongest ML-KEM. */
    static final List<String> SUITES = List.of("xwing-mldsa65", "mlkem768-mldsa65", "mlkem1024-mldsa87");

    private static final SecureRandom RANDOM = new SecureRandom();

    final CryptoSuite suite;
    final PacketFormat format;
    final List<KeyPair> relayKeys = new ArrayList<>();
    final List<Hop> route = new ArrayList<>();
    /** The reply route's relays: the circuit backwards without the exit (middle, then entry). */
    final List<Hop> replyRelays;
    final NodeId requester;
    final PeerAddress requesterAddress;
    final byte[] requestMessage;
    final byte[] replyMessage;
    final byte[] request;
    final byte[] requestAtExit;
    final SurbPair surb;
    final KemCiphertext ciphertext;

    PacketFixture(String suiteName) throws OnionException, CryptoException {
        suite = suite(suiteName);
        format = PacketFormat.defaults(suite);
        for (int i = 0; i < 3; i++) {
            KeyPair key = suite.kem().generateKeyPair();
            relayKeys.add(key);
            route.add(new Hop(randomNodeId(), PeerAddress.parse("udp://127.0.0.1:" + (5200 + 2 * i)), key.publicKey()));
        }
        replyRelays = List.of(route.get(1), route.get(0));
        requester = randomNodeId();
        requesterAddress = PeerAddress.parse("udp://127.0.0.1:5222");

        surb = newReplyBlock();
        byte[] requestId = new byte[OnionMessages.REQUEST_ID_LENGTH];
        RANDOM.nextBytes(requestId);
        requestMessage = OnionMessages.encode(new OnionMessages.Get(requestId, surb.surb(), DhtKey.ofName("bench-onion-0")));
        replyMessage = OnionMessages.encode(new OnionMessages.Found(requestId, Optional.empty()));
        request = format.forward(route, requestMessage).bytes();

        byte[] packet = request;
        for (int i = 0; i < 2; i++) {
            Unwrapped u = format.unwrap(relayKeys.get(i), packet);
            if (!(u instanceof Unwrapped.Relay relay) || !relay.nextNode().equals(route.get(i + 1).nodeId())) {
                throw new IllegalStateException(suiteName + ": hop " + i + " does not relay to hop " + (i + 1));
            }
            packet = relay.packet();
        }
        requestAtExit = packet;
        Unwrapped last = format.unwrap(relayKeys.get(2), requestAtExit);
        if (!(last instanceof Unwrapped.Deliver deliver)
                || !Arrays.equals(requestMessage, format.openForward(deliver.payload()).orElse(null))) {
            throw new IllegalStateException(suiteName + ": the exit does not get the request");
        }
        SurbPair check = newReplyBlock();
        byte[] opened = check.secrets().open(replyAtRequester(check));
        if (!Arrays.equals(replyMessage, opened)) {
            throw new IllegalStateException(suiteName + ": the reply does not open to the message sent");
        }

        try (Encapsulation e = suite.kem().encapsulate(relayKeys.get(0).publicKey())) {
            ciphertext = e.ciphertext();
            if (!Arrays.equals(e.sharedSecret().copy(), suite.kem().decapsulate(relayKeys.get(0), ciphertext).copy())) {
                throw new IllegalStateException(suiteName + ": KEM round trip failed");
            }
        }
    }

    /** A reply block over the two reply relays back to the requester, as the onion client makes one per request. */
    SurbPair newReplyBlock() throws OnionException {
        return format.newSurb(replyRelays, requester, requesterAddress);
    }

    /** The exit's reply to {@code pair}, after both reply relays: what reaches the requester. */
    byte[] replyAtRequester(SurbPair pair) throws OnionException {
        byte[] packet = format.reply(pair.surb(), replyMessage).bytes();
        packet = ((Unwrapped.Relay) format.unwrap(relayKeys.get(1), packet)).packet();
        return ((Unwrapped.Relay) format.unwrap(relayKeys.get(0), packet)).packet();
    }

    static CryptoSuite suite(String name) {
        SuiteId id = SuiteId.parse(name);
        if (id.equals(SuiteId.XWING_MLDSA65)) {
            return Suites.xwingMlDsa65(RANDOM);
        } else if (id.equals(SuiteId.MLKEM768_MLDSA65)) {
            return Suites.mlKem768MlDsa65(RANDOM);
        } else if (id.equals(SuiteId.MLKEM1024_MLDSA87)) {
            return Suites.mlKem1024MlDsa87(RANDOM);
        }
        throw new IllegalArgumentException("suite '" + name + "' is not measured here; suites are " + SUITES);
    }

    private static NodeId randomNodeId() {
        byte[] id = new byte[NodeId.LENGTH];
        RANDOM.nextBytes(id);
        return NodeId.of(id);
    }
}
