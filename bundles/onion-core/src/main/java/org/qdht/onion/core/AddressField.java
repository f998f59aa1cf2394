package org.qdht.onion.core;

import org.qdht.api.PeerAddress;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A {@link PeerAddress} in a fixed field of {@value #SIZE} bytes: its wire encoding followed by
 * zeros. Fixed, so that the routing block does not reveal the address length; zero padding
 * checked, so that every address has exactly one encoding.
 */
final class AddressField {
    static final int SIZE = 80;

    private AddressField() {
    }

    /** @throws IllegalArgumentException if the encoded address exceeds {@value #SIZE} bytes */
    static void write(PeerAddress address, byte[] out, int offset) {
        byte[] encoded = encode(address);
        System.arraycopy(encoded, 0, out, offset, encoded.length);
    }

    /** @throws IllegalArgumentException if the encoded address exceeds {@value #SIZE} bytes */
    static byte[] encode(PeerAddress address) {
        WireWriter w = new WireWriter(SIZE);
        address.writeTo(w);
        if (w.size() > SIZE) {
            throw new IllegalArgumentException("peer address " + address + " takes " + w.size()
                    + " bytes encoded; an onion routing block holds at most " + SIZE);
        }
        return w.toByteArray();
    }

    static PeerAddress read(byte[] in, int offset) throws WireFormatException {
        WireReader r = new WireReader(in, offset, SIZE);
        PeerAddress address = PeerAddress.readFrom(r);
        int at = r.position();
        for (int i = at; i < offset + SIZE; i++) {
            if (in[i] != 0) {
                throw new WireFormatException(WireFormatException.Reason.MALFORMED, i - offset, "address padding is not zero");
            }
        }
        return address;
    }
}
