package org.qdht.channel.internal;

import java.nio.charset.StandardCharsets;

import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.SecretBytes;

/**
 * The running hash of a handshake and its chaining key, in the manner of Noise: every packet is
 * mixed into the hash, every KEM shared secret into the chaining key, and keys are derived from
 * both. Uses the negotiated suite's hash and KDF.
 */
final class Transcript implements AutoCloseable {
    private static final byte[] PROTOCOL_LABEL = ascii("qdht/channel/v1");

    private final CryptoSuite suite;
    private byte[] hash;
    private SecretBytes chainingKey;

    Transcript(CryptoSuite suite) {
        this.suite = suite;
        this.hash = suite.hash(concat(PROTOCOL_LABEL, new byte[] {(byte) (suite.id().code() >>> 8), (byte) suite.id().code()}));
        this.chainingKey = SecretBytes.copyOf(hash);
    }

    void mixHash(byte[] data) {
        hash = suite.hash(concat(hash, data));
    }

    /** Mixes a KEM shared secret into the chaining key (HKDF with the old key as salt); the secret stays the caller's. */
    void mixKey(SecretBytes sharedSecret, String label) throws CryptoException {
        byte[] salt = chainingKey.copy();
        try {
            SecretBytes next = suite.kdf().derive(salt, sharedSecret, concat(ascii("qdht/channel/ck/" + label), hash), 32);
            chainingKey.destroy();
            chainingKey = next;
        } finally {
            java.util.Arrays.fill(salt, (byte) 0);
        }
    }

    /** A key bound to the chaining key and the transcript so far. */
    SecretBytes deriveKey(String label) throws CryptoException {
        return suite.kdf().derive(hash, chainingKey, ascii("qdht/channel/key/" + label), suite.aead().keySize());
    }

    byte[] hash() {
        return hash.clone();
    }

    /** What a party signs: a role label and the transcript hash. */
    byte[] toBeSigned(String role) {
        return concat(ascii("qdht/channel/v1/" + role), hash);
    }

    @Override
    public void close() {
        chainingKey.destroy();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
