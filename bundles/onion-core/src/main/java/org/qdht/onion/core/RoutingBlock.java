package org.qdht.onion.core;

import java.util.Arrays;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.wire.WireFormatException;

/**
 * The routing block one hop finds at the start of its decrypted beta: RELAY with the next hop's
 * NodeId, address and hop fields (key id, KEM ciphertext, MAC), or DELIVER with every other field
 * zero. The block is under the hop's MAC, so a malformed one comes from a sender that built it so.
 *
 * @param nextHopFields the next hop's key id, KEM ciphertext and MAC: the start of the next header;
 *                      null for DELIVER
 */
record RoutingBlock(int command, NodeId nextNode, PeerAddress nextAddress, byte[] nextHopFields) {
    static final int RELAY = 1;
    static final int DELIVER = 2;

    static byte[] relay(Layout layout, NodeId nextNode, PeerAddress nextAddress, byte[] nextHopFields) {
        byte[] block = new byte[layout.blockSize()];
        block[0] = RELAY;
        System.arraycopy(nextNode.bytes(), 0, block, Layout.COMMAND_SIZE, NodeId.LENGTH);
        AddressField.write(nextAddress, block, Layout.COMMAND_SIZE + NodeId.LENGTH);
        System.arraycopy(nextHopFields, 0, block, layout.blockHopFieldsOffset(), layout.hopFieldsSize());
        return block;
    }

    static byte[] deliver(Layout layout) {
        byte[] block = new byte[layout.blockSize()];
        block[0] = DELIVER;
        return block;
    }

    /** Reads the block at {@code in[offset..offset + blockSize)}. */
    static RoutingBlock read(Layout layout, byte[] in, int offset) throws WireFormatException {
        if (offset < 0 || in.length - offset < layout.blockSize()) {
            throw new WireFormatException(WireFormatException.Reason.TRUNCATED, 0, "routing block needs " + layout.blockSize() + " bytes");
        }
        int command = in[offset] & 0xFF;
        if (command == DELIVER) {
            for (int i = 1; i < layout.blockSize(); i++) {
                if (in[offset + i] != 0) {
                    throw new WireFormatException(WireFormatException.Reason.MALFORMED, i, "DELIVER block has non-zero fields");
                }
            }
            return new RoutingBlock(DELIVER, null, null, null);
        }
        if (command != RELAY) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, 0, "unknown routing command " + command);
        }
        int at = offset + Layout.COMMAND_SIZE;
        byte[] node = Arrays.copyOfRange(in, at, at + NodeId.LENGTH);
        if (isZero(node)) {
            // the all-zero NodeId is the DELIVER filler; as a next hop it can only be a sender's mistake
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, 1, "RELAY block names the all-zero NodeId");
        }
        PeerAddress address = AddressField.read(in, at + NodeId.LENGTH);
        int fields = offset + layout.blockHopFieldsOffset();
        return new RoutingBlock(RELAY, NodeId.of(node), address, Arrays.copyOfRange(in, fields, fields + layout.hopFieldsSize()));
    }

    private static boolean isZero(byte[] bytes) {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }
}
