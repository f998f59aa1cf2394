package org.qdht.api.channel;

/**
 * Protocol codes of the secure channel: an unsigned 16-bit number in front of every message that
 * selects the {@link SessionMessageHandler}. Codes 0x0001-0x0FFF are assigned here by the API (a
 * new assignment is a minor version of this package) and never reused; 0xF000-0xFFFE are free for
 * third-party protocols; 0x0000 and 0xFFFF are never valid.
 */
public final class Protocols {
    /** Kademlia RPCs: ping, find-node, find-value, store. */
    public static final int DHT_RPC = 0x0001;
    /** Onion packets relayed between hops. */
    public static final int ONION_RELAY = 0x0002;
    /** End-to-end encrypted direct and group messages. */
    public static final int MESSAGING = 0x0003;
    /** Publish/subscribe gossip. */
    public static final int PUBSUB = 0x0004;
    /** Federated learning: round announcements, updates, secure-aggregation shares. */
    public static final int LEARNING = 0x0005;
    /**
     * Echo: the receiving node sends the message back unchanged on the same protocol, once; a
     * message that arrives as an echo reply is not echoed again (the first byte says which it is).
     * For reachability checks ({@code channel:ping}) and tests.
     *
     * @since 1.1
     */
    public static final int ECHO = 0x0006;

    /** First code of the range left to third-party protocols. */
    public static final int THIRD_PARTY_FIRST = 0xF000;
    /** Last code of the range left to third-party protocols. */
    public static final int THIRD_PARTY_LAST = 0xFFFE;

    private Protocols() {
    }

    /** Whether {@code protocol} is a code a message may carry: 0x0001-0xFFFE. */
    public static boolean isValid(int protocol) {
        return protocol > 0 && protocol < 0xFFFF;
    }

    /** Whether {@code protocol} lies in the third-party range. */
    public static boolean isThirdParty(int protocol) {
        return protocol >= THIRD_PARTY_FIRST && protocol <= THIRD_PARTY_LAST;
    }
}
