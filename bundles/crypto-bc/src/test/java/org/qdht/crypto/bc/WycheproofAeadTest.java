package org.qdht.crypto.bc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.qdht.crypto.bc.WycheproofVectors.attempt;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.qdht.api.crypto.Aead;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.crypto.bc.WycheproofVectors.Result;
import org.qdht.crypto.bc.WycheproofVectors.TestCase;
import org.qdht.crypto.bc.WycheproofVectors.VectorFile;

/**
 * Wycheproof ChaCha20-Poly1305 and AES-GCM through {@link Aeads}. The API's AEADs take 32-byte keys,
 * 12-byte nonces and 16-byte tags. Valid cases within those sizes must seal to {@code ct || tag}
 * and open back to {@code msg}; invalid ones (modified tags, nonces of another size) must be
 * refused with a CryptoException. Valid cases with other sizes (AES-128/192, GCM's short and long
 * IVs) cannot be expressed: they are skipped, after checking that the API refuses them with a
 * CryptoException rather than an unchecked exception.
 */
class WycheproofAeadTest {
    private static final String CHACHA = "chacha20_poly1305_test.json";
    private static final String AES_GCM = "aes_gcm_test.json";

    private static final Aead CHACHA20_POLY1305 = Aeads.chaCha20Poly1305();
    private static final Aead AES_256_GCM = Aeads.aes256Gcm();

    @TestFactory
    Stream<DynamicNode> vectors() {
        return Stream.of(
                WycheproofVectors.cases(WycheproofVectors.load(CHACHA), tc -> skip(CHACHA20_POLY1305, tc),
                        tc -> check(CHACHA20_POLY1305, tc), tc -> refused(CHACHA20_POLY1305, tc)),
                WycheproofVectors.cases(WycheproofVectors.load(AES_GCM), tc -> skip(AES_256_GCM, tc),
                        tc -> check(AES_256_GCM, tc), tc -> refused(AES_256_GCM, tc)));
    }

    @Test
    void chaChaCounts() {
        VectorFile file = WycheproofVectors.load(CHACHA);
        WycheproofVectors.Tally.of(file, tc -> skip(CHACHA20_POLY1305, tc)).assertCounts(file, 325, 0);
    }

    @Test
    void aesGcmCounts() {
        VectorFile file = WycheproofVectors.load(AES_GCM);
        WycheproofVectors.Tally.of(file, tc -> skip(AES_256_GCM, tc)).assertCounts(file, 68, 248);
    }

    @Test
    void sizesAsDocumented() {
        for (Aead aead : new Aead[] {CHACHA20_POLY1305, AES_256_GCM}) {
            assertEquals(32, aead.keySize(), aead + " key size");
            assertEquals(12, aead.nonceSize(), aead + " nonce size");
            assertEquals(16, aead.tagSize(), aead + " tag size");
        }
    }

    private static Optional<String> skip(Aead aead, TestCase tc) {
        int key = tc.bytes("key").length;
        if (key != aead.keySize()) {
            // also for invalid cases: the API refuses them for their key size, not for what makes them invalid
            return Optional.of(key * 8 + "-bit key (the API's " + aead.algorithm() + " takes " + aead.keySize() + "-byte keys)");
        }
        int nonce = tc.bytes("iv").length;
        int tag = tc.bytes("tag").length;
        if (tc.result() == Result.INVALID) {
            return Optional.empty(); // a wrong nonce or tag size is what makes these invalid: checked, must be refused
        }
        if (nonce != aead.nonceSize()) {
            return Optional.of("valid case with a nonce of another size than " + aead.nonceSize() + " bytes");
        }
        return WycheproofVectors.skipIf(tag != aead.tagSize(), "valid case with a tag of another size than " + aead.tagSize() + " bytes");
    }

    private static void check(Aead aead, TestCase tc) {
        byte[] key = tc.bytes("key");
        byte[] nonce = tc.bytes("iv");
        byte[] aad = tc.bytes("aad");
        byte[] msg = tc.bytes("msg");
        byte[] sealed = concat(tc.bytes("ct"), tc.bytes("tag"));
        SecretBytes k = SecretBytes.copyOf(key);
        WycheproofVectors.Outcome<byte[]> opened = attempt(tc, "open", () -> aead.open(k, nonce, aad, sealed));
        if (tc.result() == Result.INVALID) {
            CryptoException e = opened.rejection();
            if (nonce.length != aead.nonceSize()) {
                attempt(tc, "seal with a " + nonce.length + "-byte nonce", () -> aead.seal(k, nonce, aad, msg)).rejection();
            } else {
                assertEquals(CryptoException.Reason.AUTHENTICATION_FAILED, e.reason(), tc + ": open refusal reason");
            }
            return;
        }
        assertArrayEquals(msg, opened.value(), tc + ": opened plaintext");
        assertArrayEquals(sealed, attempt(tc, "seal", () -> aead.seal(k, nonce, aad, msg)).value(), tc + ": ct || tag");
    }

    /** For skipped cases: the API must refuse them with a CryptoException, never an unchecked exception. */
    private static void refused(Aead aead, TestCase tc) {
        byte[] nonce = tc.bytes("iv");
        byte[] aad = tc.bytes("aad");
        SecretBytes k = SecretBytes.copyOf(tc.bytes("key"));
        attempt(tc, "open", () -> aead.open(k, nonce, aad, concat(tc.bytes("ct"), tc.bytes("tag")))).rejection();
        attempt(tc, "seal", () -> aead.seal(k, nonce, aad, tc.bytes("msg"))).rejection();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return MlKem.concat(a, b);
    }
}
