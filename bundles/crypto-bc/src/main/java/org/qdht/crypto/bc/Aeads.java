package org.qdht.crypto.bc;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.qdht.api.crypto.Aead;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoException.Reason;
import org.qdht.api.crypto.SecretBytes;

/**
 * The two AEADs of the suites: ChaCha20-Poly1305 (RFC 8439; fast without AES hardware, so the
 * default for phones) and AES-256-GCM (NIST SP 800-38D). 32-byte keys, 12-byte nonces, 16-byte
 * tags. Stateless and thread safe: every call builds its own cipher.
 */
public final class Aeads {
    private Aeads() {
    }

    public static Aead chaCha20Poly1305() {
        return new BcAead("ChaCha20-Poly1305") {
            @Override
            AEADCipher newCipher() {
                return new ChaCha20Poly1305();
            }
        };
    }

    public static Aead aes256Gcm() {
        return new BcAead("AES-256-GCM") {
            @Override
            AEADCipher newCipher() {
                return GCMBlockCipher.newInstance(AESEngine.newInstance());
            }
        };
    }

    private abstract static class BcAead implements Aead {
        private static final int KEY_SIZE = 32;
        private static final int NONCE_SIZE = 12;
        private static final int TAG_SIZE = 16;
        /** Larger messages go through streams in chunks; one AEAD call never holds more than this. */
        private static final int MAX_INPUT = 16 * 1024 * 1024;

        private final String name;

        BcAead(String name) {
            this.name = name;
        }

        abstract AEADCipher newCipher();

        @Override
        public String algorithm() {
            return name;
        }

        @Override
        public int keySize() {
            return KEY_SIZE;
        }

        @Override
        public int nonceSize() {
            return NONCE_SIZE;
        }

        @Override
        public int tagSize() {
            return TAG_SIZE;
        }

        @Override
        public byte[] seal(SecretBytes key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws CryptoException {
            if (plaintext.length > MAX_INPUT) {
                throw new CryptoException(Reason.MALFORMED_INPUT, name + " input of " + plaintext.length
                        + " bytes exceeds the maximum of " + MAX_INPUT);
            }
            return run(true, key, nonce, associatedData, plaintext);
        }

        @Override
        public byte[] open(SecretBytes key, byte[] nonce, byte[] associatedData, byte[] ciphertext) throws CryptoException {
            if (ciphertext.length < TAG_SIZE) {
                throw new CryptoException(Reason.AUTHENTICATION_FAILED, name + " ciphertext is shorter than its tag");
            }
            if (ciphertext.length > MAX_INPUT + TAG_SIZE) {
                throw new CryptoException(Reason.MALFORMED_INPUT, name + " ciphertext exceeds the maximum size");
            }
            return run(false, key, nonce, associatedData, ciphertext);
        }

        private byte[] run(boolean encrypt, SecretBytes key, byte[] nonce, byte[] aad, byte[] input) throws CryptoException {
            Checks.length(nonce, NONCE_SIZE, name + " nonce");
            return key.use(k -> {
                Checks.length(k, KEY_SIZE, name + " key");
                AEADCipher cipher = newCipher();
                cipher.init(encrypt, new AEADParameters(new KeyParameter(k), TAG_SIZE * 8, nonce, aad));
                byte[] out = new byte[cipher.getOutputSize(input.length)];
                int n = cipher.processBytes(input, 0, input.length, out, 0);
                try {
                    n += cipher.doFinal(out, n);
                } catch (InvalidCipherTextException e) {
                    java.util.Arrays.fill(out, (byte) 0);
                    throw new CryptoException(Reason.AUTHENTICATION_FAILED, name + " tag does not verify");
                }
                return n == out.length ? out : java.util.Arrays.copyOf(out, n);
            });
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
