package org.qdht.crypto.bc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.SuiteSignature;

/** Round trips, tampering and cross-suite use for every suite of the building blocks. */
class SuitesTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final byte[] MESSAGE = "signed bytes".getBytes(StandardCharsets.UTF_8);

    static Stream<CryptoSuite> suites() {
        return Stream.of(Suites.xwingMlDsa65(RANDOM), Suites.mlKem512MlDsa44(RANDOM), Suites.mlKem768MlDsa65(RANDOM),
                Suites.mlKem1024MlDsa87(RANDOM), Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, RANDOM),
                Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHAKE_128F, RANDOM),
                // the "s" sets sign in about a second each: slow, but every parameter set is covered
                Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHA2_128S, RANDOM),
                Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHAKE_128S, RANDOM));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void signVerifyAndRefuseTampering(CryptoSuite suite) throws Exception {
        try (KeyPair keys = suite.signatures().generateKeyPair()) {
            assertEquals(suite.signatures().publicKeySize(), keys.publicKey().size());
            assertEquals(suite.keyIdOf(keys.publicKey().purpose(), keys.publicKey().key()), keys.publicKey().keyId());
            SuiteSignature sig = suite.signatures().sign(keys, MESSAGE);
            assertEquals(suite.signatures().signatureSize(), sig.size());
            assertEquals(suite.id(), sig.suite());
            assertTrue(suite.signatures().verify(keys.publicKey(), MESSAGE, sig));
            assertFalse(suite.signatures().verify(keys.publicKey(), "other".getBytes(StandardCharsets.UTF_8), sig));
            byte[] flipped = sig.bytes();
            flipped[flipped.length - 1] ^= 0x40;
            assertFalse(suite.signatures().verify(keys.publicKey(), MESSAGE, SuiteSignature.of(sig.suite(), sig.keyId(), flipped)));
            byte[] shortened = Arrays.copyOf(sig.bytes(), sig.size() - 1);
            assertFalse(suite.signatures().verify(keys.publicKey(), MESSAGE, SuiteSignature.of(sig.suite(), sig.keyId(), shortened)));
        }
    }

    @ParameterizedTest
    @MethodSource("suites")
    void kemAgreesAndImplicitlyRejectsTamperedCiphertexts(CryptoSuite suite) throws Exception {
        try (KeyPair keys = suite.kem().generateKeyPair()) {
            Encapsulation enc = suite.kem().encapsulate(keys.publicKey());
            assertEquals(suite.kem().ciphertextSize(), enc.ciphertext().size());
            byte[] shared = enc.sharedSecret().copy();
            assertArrayEquals(shared, suite.kem().decapsulate(keys, enc.ciphertext()).copy());
            byte[] ct = enc.ciphertext().bytes();
            ct[ct.length / 2] ^= 1;
            byte[] other = suite.kem().decapsulate(keys, KemCiphertext.of(suite.id(), keys.publicKey().keyId(), ct)).copy();
            assertFalse(Arrays.equals(shared, other), "a tampered ciphertext gives an unrelated secret");
            CryptoException wrongLength = assertThrows(CryptoException.class, () -> suite.kem().decapsulate(keys,
                    KemCiphertext.of(suite.id(), keys.publicKey().keyId(), Arrays.copyOf(ct, ct.length - 1))));
            assertEquals(CryptoException.Reason.MALFORMED_INPUT, wrongLength.reason());
        }
    }

    @ParameterizedTest
    @MethodSource("suites")
    void derivedKeysAreDeterministic(CryptoSuite suite) throws Exception {
        int kemSeed = suite.kem() instanceof XWing ? 32 : 64;
        byte[] seed = new byte[kemSeed];
        Arrays.fill(seed, (byte) 7);
        assertEquals(suite.kem().deriveKeyPair(seed).publicKey(), suite.kem().deriveKeyPair(seed).publicKey());
        int sigSeed = suite.signatures() instanceof MlDsa ? 32 : 48;
        byte[] s = new byte[sigSeed];
        Arrays.fill(s, (byte) 9);
        KeyPair a = suite.signatures().deriveKeyPair(s);
        assertEquals(a.publicKey(), suite.signatures().deriveKeyPair(s).publicKey());
        assertTrue(suite.signatures().verify(a.publicKey(), MESSAGE, suite.signatures().sign(a, MESSAGE)));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void signingManyTimesKeepsTheSecretKeyIntact(CryptoSuite suite) throws Exception {
        KeyPair keys = suite.signatures().generateKeyPair();
        byte[] before = keys.secretKey().copy();
        for (int i = 0; i < 3; i++) {
            SuiteSignature sig = suite.signatures().sign(keys, MESSAGE);
            assertTrue(suite.signatures().verify(keys.publicKey(), MESSAGE, sig), "signature " + i + " verifies");
        }
        assertArrayEquals(before, keys.secretKey().copy(), "signing must not alter the stored secret key");
        KeyPair kem = suite.kem().generateKeyPair();
        byte[] kemBefore = kem.secretKey().copy();
        for (int i = 0; i < 3; i++) {
            Encapsulation enc = suite.kem().encapsulate(kem.publicKey());
            assertArrayEquals(enc.sharedSecret().copy(), suite.kem().decapsulate(kem, enc.ciphertext()).copy());
        }
        assertArrayEquals(kemBefore, kem.secretKey().copy(), "decapsulating must not alter the stored secret key");
    }

    @Test
    void slhDsaSeedIsTheStartOfTheSecretKey() throws Exception {
        CryptoSuite suite = Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, RANDOM);
        byte[] seed = new byte[48];
        RANDOM.nextBytes(seed);
        byte[] sk = suite.signatures().deriveKeyPair(seed).secretKey().copy();
        assertEquals(64, sk.length);
        assertArrayEquals(seed, Arrays.copyOf(sk, 48), "FIPS 205: SK.seed || SK.prf || PK.seed || PK.root");
    }

    @Test
    void keysAndObjectsOfAnotherSuiteAreRefused() throws Exception {
        CryptoSuite a = Suites.mlKem768MlDsa65(RANDOM);
        CryptoSuite b = Suites.xwingMlDsa65(RANDOM);
        KeyPair signer = a.signatures().generateKeyPair();
        SuiteSignature sig = a.signatures().sign(signer, MESSAGE);
        assertEquals(CryptoException.Reason.SUITE_MISMATCH,
                assertThrows(CryptoException.class, () -> b.signatures().verify(signer.publicKey(), MESSAGE, sig)).reason());
        assertEquals(CryptoException.Reason.SUITE_MISMATCH,
                assertThrows(CryptoException.class, () -> b.signatures().sign(signer, MESSAGE)).reason());
        KeyPair kem = a.kem().generateKeyPair();
        assertEquals(CryptoException.Reason.SUITE_MISMATCH,
                assertThrows(CryptoException.class, () -> b.kem().encapsulate(kem.publicKey())).reason());
        assertEquals(CryptoException.Reason.SUITE_MISMATCH,
                assertThrows(CryptoException.class, () -> a.signatures().sign(kem, MESSAGE)).reason(), "a KEM key does not sign");
    }

    @Test
    void destroyedSecretKeysCannotBeUsed() throws Exception {
        CryptoSuite suite = Suites.xwingMlDsa65(RANDOM);
        KeyPair keys = suite.signatures().generateKeyPair();
        keys.destroy();
        assertEquals(CryptoException.Reason.KEY_DESTROYED,
                assertThrows(CryptoException.class, () -> suite.signatures().sign(keys, MESSAGE)).reason());
    }

    @Test
    void rotationStatementSignedByTheOldKeyVerifies() throws Exception {
        CryptoSuite oldSuite = Suites.xwingMlDsa65(RANDOM);
        CryptoSuite newSuite = Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, RANDOM);
        KeyPair oldKey = oldSuite.signatures().generateKeyPair();
        KeyPair newKey = newSuite.signatures().generateKeyPair();
        byte[] toSign = KeyRotation.toBeSigned(oldKey.publicKey(), newKey.publicKey(), 1234L);
        KeyRotation rotation = new KeyRotation(oldKey.publicKey(), newKey.publicKey(), 1234L, oldSuite.signatures().sign(oldKey, toSign));
        assertArrayEquals(toSign, rotation.toBeSigned());
        assertTrue(oldSuite.signatures().verify(rotation.oldKey(), rotation.toBeSigned(), rotation.signature()));
        KeyRotation forged = new KeyRotation(oldKey.publicKey(), newKey.publicKey(), 1235L, rotation.signature());
        assertFalse(oldSuite.signatures().verify(forged.oldKey(), forged.toBeSigned(), forged.signature()));
    }

    @Test
    void aeadsRoundTripAndRefuseTampering() throws Exception {
        for (org.qdht.api.crypto.Aead aead : List.of(Aeads.chaCha20Poly1305(), Aeads.aes256Gcm())) {
            org.qdht.api.crypto.SecretBytes key = org.qdht.api.crypto.SecretBytes.copyOf(new byte[32]);
            byte[] nonce = new byte[12];
            byte[] sealed = aead.seal(key, nonce, MESSAGE, "plain".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("plain".getBytes(StandardCharsets.UTF_8), aead.open(key, nonce, MESSAGE, sealed));
            sealed[0] ^= 1;
            assertEquals(CryptoException.Reason.AUTHENTICATION_FAILED,
                    assertThrows(CryptoException.class, () -> aead.open(key, nonce, MESSAGE, sealed)).reason());
            assertNotEquals(0, sealed.length);
        }
    }
}
