package org.qdht.onion.core;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ChaCha20 keystream (RFC 7539, 12-byte zero nonce, counter from 0), XORed into a slice of an
 * array: the header stream and LIONESS's stream cipher. The zero nonce is safe because every key
 * is used for one stream only (each is derived fresh per hop or per LIONESS round). The JDK's
 * implementation, which newer JVMs compile to vector instructions.
 */
final class ChaCha20 {
    static final int KEY_SIZE = 32;
    private static final byte[] ZERO_NONCE = new byte[12];

    private ChaCha20() {
    }

    /** XORs the first {@code length} keystream bytes of {@code key} into {@code data[offset..]}, in place. */
    static void xor(byte[] key, byte[] data, int offset, int length) {
        try {
            Cipher cipher = Cipher.getInstance("ChaCha20");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(ZERO_NONCE, 0));
            cipher.doFinal(data, offset, length, data, offset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 11+ platform has ChaCha20", e);
        }
    }

    /** The first {@code length} keystream bytes of {@code key}. */
    static byte[] keystream(byte[] key, int length) {
        byte[] out = new byte[length];
        xor(key, out, 0, length);
        return out;
    }
}
