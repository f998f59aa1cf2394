package org.qdht.onion.core;

import org.qdht.api.KeyId;
import org.qdht.api.NodeId;

/**
 * Field sizes and offsets of a packet, from the KEM ciphertext size C, the most hops R and the
 * payload size P. A packet is
 * {@code key id (16) | KEM ciphertext (C) | MAC (32) | beta (R * block) | payload (P)}; the first
 * three fields ("hop fields") open one hop's layer, and a RELAY block carries the next hop's.
 */
record Layout(int ciphertextSize, int maxHops, int payloadSize) {
    static final int COMMAND_SIZE = 1;

    /** Key id, KEM ciphertext and MAC of one hop. */
    int hopFieldsSize() {
        return KeyId.LENGTH + ciphertextSize + HmacSha256.SIZE;
    }

    /** Command, next NodeId, next address, next hop fields. */
    int blockSize() {
        return COMMAND_SIZE + NodeId.LENGTH + AddressField.SIZE + hopFieldsSize();
    }

    /** Routing information: one block per possible hop. */
    int betaSize() {
        return maxHops * blockSize();
    }

    int headerSize() {
        return hopFieldsSize() + betaSize();
    }

    int packetSize() {
        return headerSize() + payloadSize;
    }

    int ciphertextOffset() {
        return KeyId.LENGTH;
    }

    int macOffset() {
        return KeyId.LENGTH + ciphertextSize;
    }

    int betaOffset() {
        return hopFieldsSize();
    }

    int payloadOffset() {
        return headerSize();
    }

    /** Within a block: where the next hop's fields start. */
    int blockHopFieldsOffset() {
        return COMMAND_SIZE + NodeId.LENGTH + AddressField.SIZE;
    }
}
