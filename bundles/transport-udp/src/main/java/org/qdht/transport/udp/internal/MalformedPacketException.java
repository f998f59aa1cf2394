package org.qdht.transport.udp.internal;

/**
 * A packet that breaks the format or the receiver's limits. The only exception
 * {@link FragmentCodec#decode} throws; the transport counts it under {@link #reason()} and drops the packet.
 */
final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Stats reason: the packet is not a valid fragment. */
    static final String MALFORMED = "malformed";
    /** Stats reason: the packet or its message is above the receiver's limits. */
    static final String TOO_LARGE = "too-large";

    private final String reason;

    MalformedPacketException(String reason, String message) {
        super(message, null, false, false); // no stack trace: thrown for every bad packet a peer sends
        this.reason = reason;
    }

    /** The short name the transport counts the packet under in its stats. */
    String reason() {
        return reason;
    }
}
