package org.qdht.onion.core;

/**
 * A packet that cannot be built or processed, with the reason a node counts it under. Messages
 * never contain key material or payload bytes.
 */
public final class OnionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a packet failed; each has a counter name for the node's statistics. */
    public enum Reason {
        /** Wrong packet size, unknown command, bad address or NodeId in a routing block. */
        MALFORMED("packet-malformed"),
        /** The packet names another onion key than the one it was given to. */
        WRONG_KEY("packet-wrong-key"),
        /** The header MAC does not verify: the header was changed on the way, or made for someone else. */
        BAD_MAC("packet-bad-mac"),
        /** The payload's zero prefix is wrong at the recipient: the payload was changed on the way. */
        TAGGED("payload-tagged"),
        /** The message does not fit the payload. */
        TOO_LARGE("message-too-large"),
        /** The KEM or KDF failed (malformed ciphertext, destroyed key, suite mismatch). */
        CRYPTO("packet-crypto-failed");

        private final String counterName;

        Reason(String counterName) {
            this.counterName = counterName;
        }

        public String counterName() {
            return counterName;
        }
    }

    private final Reason reason;

    public OnionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public OnionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The name of the counter this failure goes to, e.g. {@code packet-bad-mac}. */
    public String counterName() {
        return reason.counterName();
    }
}
