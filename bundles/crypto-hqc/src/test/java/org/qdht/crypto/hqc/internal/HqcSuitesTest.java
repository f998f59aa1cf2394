package org.qdht.crypto.hqc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException.Reason;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.crypto.bc.Suites;

class HqcSuitesTest {
    final CryptoSuite suite = HqcSuites.hqc128X25519MlDsa65(new SecureRandom());

    @Test
    void theBundleOffersExactlyTheAssignedHqcSuite() {
        assertEquals(Set.of(SuiteId.HQC128_X25519_MLDSA65), HqcSuites.AVAILABLE.keySet());
        assertEquals(0x0020, suite.id().code());
        assertEquals("hqc128-x25519-mldsa65", suite.id().name());
        assertEquals(SuiteId.HQC128_X25519_MLDSA65, SuiteId.parse("hqc128-x25519-mldsa65"));
    }

    @Test
    void componentsAreHqcX25519MlDsa65ChaChaPolyAndHkdf() {
        assertEquals("HQC-128+X25519", suite.kem().algorithm());
        assertEquals("ML-DSA-65", suite.signatures().algorithm());
        assertEquals("ChaCha20-Poly1305", suite.aead().algorithm());
        assertEquals("HKDF-SHA-256", suite.kdf().algorithm());
        assertEquals(1952, suite.signatures().publicKeySize());
        assertEquals(3309, suite.signatures().signatureSize());
        assertEquals(32, suite.hash("x".getBytes(StandardCharsets.UTF_8)).length);
    }

    @Test
    void keyIdsOfTheKemAreThoseTheSuiteComputes() throws Exception {
        try (KeyPair kem = suite.kem().generateKeyPair(); KeyPair sig = suite.signatures().generateKeyPair()) {
            assertEquals(suite.keyIdOf(KeyPurpose.KEM, kem.publicKey().key()), kem.publicKey().keyId());
            assertEquals(suite.keyIdOf(KeyPurpose.SIGNATURE, sig.publicKey().key()), sig.publicKey().keyId());
            // and differ from the same bytes under another suite
            CryptoSuite xwing = Suites.xwingMlDsa65(new SecureRandom());
            assertFalse(xwing.keyIdOf(KeyPurpose.KEM, kem.publicKey().key()).equals(kem.publicKey().keyId()));
        }
    }

    @Test
    void signsVerifiesAndRefusesTamperedSignatures() throws Exception {
        byte[] message = "record".getBytes(StandardCharsets.UTF_8);
        try (KeyPair signer = suite.signatures().generateKeyPair()) {
            SuiteSignature sig = suite.signatures().sign(signer, message);
            assertEquals(SuiteId.HQC128_X25519_MLDSA65, sig.suite());
            assertEquals(3309, sig.size());
            assertTrue(suite.signatures().verify(signer.publicKey(), message, sig));
            byte[] tampered = sig.bytes();
            tampered[7] ^= 1;
            assertFalse(suite.signatures().verify(signer.publicKey(), message, SuiteSignature.of(sig.suite(), sig.keyId(), tampered)));
            assertFalse(suite.signatures().verify(signer.publicKey(), "other".getBytes(StandardCharsets.UTF_8), sig));
        }
    }

    @Test
    void kemSecretKeysAnAeadThroughTheKdf() throws Exception {
        byte[] info = "qdht test channel".getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[12];
        byte[] plaintext = "hello over HQC".getBytes(StandardCharsets.UTF_8);
        try (KeyPair bob = suite.kem().generateKeyPair(); Encapsulation enc = suite.kem().encapsulate(bob.publicKey());
                SecretBytes bobSecret = suite.kem().decapsulate(bob, enc.ciphertext());
                SecretBytes aliceKey = suite.kdf().derive(null, enc.sharedSecret(), info, 32);
                SecretBytes bobKey = suite.kdf().derive(null, bobSecret, info, 32)) {
            byte[] sealed = suite.aead().seal(aliceKey, nonce, info, plaintext);
            assertArrayEquals(plaintext, suite.aead().open(bobKey, nonce, info, sealed));

            // a tampered KEM ciphertext gives Bob another key: the AEAD tag then fails
            byte[] ct = enc.ciphertext().bytes();
            ct[100] ^= 1;
            try (SecretBytes wrong = suite.kem().decapsulate(bob, org.qdht.api.crypto.KemCiphertext.of(enc.ciphertext().suite(),
                    enc.ciphertext().recipientKey(), ct)); SecretBytes wrongKey = suite.kdf().derive(null, wrong, info, 32)) {
                HqcX25519Test.assertReason(Reason.AUTHENTICATION_FAILED, () -> suite.aead().open(wrongKey, nonce, info, sealed));
            }
        }
    }

    @Test
    void signatureKeysOfOtherSuitesAreRefused() throws Exception {
        CryptoSuite xwing = Suites.xwingMlDsa65(new SecureRandom());
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        try (KeyPair other = xwing.signatures().generateKeyPair()) {
            HqcX25519Test.assertReason(Reason.SUITE_MISMATCH, () -> suite.signatures().sign(other, message));
            SuiteSignature sig = xwing.signatures().sign(other, message);
            HqcX25519Test.assertReason(Reason.SUITE_MISMATCH, () -> suite.signatures().verify(other.publicKey(), message, sig));
        }
    }
}
