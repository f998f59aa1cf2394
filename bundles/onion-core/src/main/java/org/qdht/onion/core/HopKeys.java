package org.qdht.onion.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.SecretBytes;

/**
 * The keys of one hop of one packet, all from the hop's KEM shared secret:
 * {@code HKDF(salt "qdht/onion/v1", ss, info "hop keys", 224)} split into the header MAC key (32),
 * the header stream key (32), the four LIONESS subkeys (128) and the replay tag (32). The sender
 * derives them after encapsulating, the hop after decapsulating. Not thread safe.
 */
final class HopKeys {
    static final int REPLAY_TAG_SIZE = 32;
    static final int SIZE = HmacSha256.SIZE + ChaCha20.KEY_SIZE + Lioness.KEY_SIZE + REPLAY_TAG_SIZE;

    static final byte[] SALT = "qdht/onion/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = "hop keys".getBytes(StandardCharsets.US_ASCII);

    final byte[] macKey;
    final byte[] headerKey;
    final byte[] payloadKey;
    final byte[] replayTag;

    private HopKeys(byte[] okm) {
        int at = 0;
        macKey = Arrays.copyOfRange(okm, at, at += HmacSha256.SIZE);
        headerKey = Arrays.copyOfRange(okm, at, at += ChaCha20.KEY_SIZE);
        payloadKey = Arrays.copyOfRange(okm, at, at += Lioness.KEY_SIZE);
        replayTag = Arrays.copyOfRange(okm, at, at + REPLAY_TAG_SIZE);
    }

    static HopKeys derive(CryptoSuite suite, SecretBytes sharedSecret) throws CryptoException {
        try (SecretBytes okm = suite.kdf().derive(SALT, sharedSecret, INFO, SIZE)) {
            return okm.use(HopKeys::new);
        }
    }

    void destroy() {
        Arrays.fill(macKey, (byte) 0);
        Arrays.fill(headerKey, (byte) 0);
        Arrays.fill(payloadKey, (byte) 0);
        Arrays.fill(replayTag, (byte) 0);
    }
}
