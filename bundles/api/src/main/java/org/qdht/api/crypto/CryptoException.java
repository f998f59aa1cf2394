package org.qdht.api.crypto;

/**
 * A crypto operation that failed. Messages never contain key material or plaintext.
 */
public class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed, for callers that react differently and for per-reason counters. */
    public enum Reason {
        /** A key, ciphertext, nonce or signature has the wrong size or encoding. */
        MALFORMED_INPUT,
        /** AEAD tag, MAC or implicit-rejection check failed. */
        AUTHENTICATION_FAILED,
        /** The object belongs to another suite than the one asked to process it. */
        SUITE_MISMATCH,
        /** The suite or operation is not available here. */
        UNSUPPORTED,
        /** The key has been destroyed. */
        KEY_DESTROYED
    }

    private final Reason reason;

    public CryptoException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CryptoException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
