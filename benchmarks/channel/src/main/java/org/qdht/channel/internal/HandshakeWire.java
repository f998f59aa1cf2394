package org.qdht.channel.internal;

import java.security.SecureRandom;

import org.qdht.api.SuiteId;

/**
 * The runner's door into this package: runs real in-memory handshakes and reports the encoded
 * sizes of their packets ({@code Packets.Init#encode}, {@code Response#encode}, {@code Finish#encode}
 * and the confirm data packet).
 */
public final class HandshakeWire {
    /** Bytes of one handshake's packets, without transport framing; {@code dataOverhead} is what a data packet adds to a message. */
    public record PacketSizes(String suite, boolean ik, int init, int response, int finish, int confirm, int dataOverhead) {
        public int total() {
            return init + response + finish + confirm;
        }
    }

    private HandshakeWire() {
    }

    /** Sizes of an XX ({@code ik} false) or IK handshake under {@code suite}, from a real handshake. */
    public static PacketSizes measure(String suite, boolean ik) throws Exception {
        SecureRandom random = new SecureRandom();
        SuiteId id = SuiteId.parse(suite);
        BenchParty initiator = new BenchParty(id, random);
        BenchParty responder = new BenchParty(id, random);
        InMemoryHandshake.Sizes first = InMemoryHandshake.run(initiator, responder, ik);
        InMemoryHandshake.Sizes second = InMemoryHandshake.run(initiator, responder, ik);
        if (!first.equals(second)) {
            throw new IllegalStateException(suite + ": two handshakes of the same kind have different sizes: " + first + ", " + second);
        }
        int dataOverhead = Packets.DATA_HEADER_SIZE + 2 + initiator.active().aead().tagSize();
        return new PacketSizes(suite, ik, first.init(), first.response(), first.finish(), first.confirm(), dataOverhead);
    }

    /** Whether the in-memory handshake offers what a node with crypto-mlkem and crypto-sphincs offers: the number of suites. */
    public static int offeredSuites() {
        return BenchParty.allSuites(new SecureRandom()).size();
    }
}
