package org.qdht.onion.core;

import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The ChaCha20 keystream (RFC 7539) with an all-zero nonce. A zero nonce is safe here because no
 * key is used for more than one stream: header keys and LIONESS subkeys come from a fresh KEM
 * secret per hop and packet, and LIONESS keys each stream with a value that depends on the block.
 */
final class ChaCha20 {
    static final int KEY_SIZE = 32;
    private static final byte[] ZERO_NONCE = new byte[12];

    private ChaCha20() {
    }

    /** XORs the first {@code length} keystream bytes of {@code key} into {@code data[offset..]}, in place. */
    static void xor(byte[] key, byte[] data, int offset, int length) {
        ChaCha7539Engine engine = new ChaCha7539Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), ZERO_NONCE));
        engine.processBytes(data, offset, length, data, offset);
    }

    /** The first {@code length} keystream bytes of {@code key}. */
    static byte[] keystream(byte[] key, int length) {
        byte[] out = new byte[length];
        xor(key, out, 0, length);
        return out;
    }
}
