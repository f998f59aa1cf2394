package org.qdht.transport.udp.internal;

/**
 * One decoded packet: fragment {@code index} of {@code count} of message {@code messageId}.
 * A message of one fragment is the payload itself.
 */
record Fragment(int messageId, int index, int count, byte[] payload) {

    boolean isLast() {
        return index == count - 1;
    }
}
