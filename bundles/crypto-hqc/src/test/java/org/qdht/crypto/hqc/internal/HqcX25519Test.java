package org.qdht.crypto.hqc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.pqc.crypto.hqc.HQCKEMExtractor;
import org.bouncycastle.pqc.crypto.hqc.HQCParameters;
import org.bouncycastle.pqc.crypto.hqc.HQCPrivateKeyParameters;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoException.Reason;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.crypto.bc.Suites;
import org.qdht.crypto.bc.KeyIds;
import org.qdht.crypto.bc.X25519;

class HqcX25519Test {
    static final SuiteId SUITE = SuiteId.HQC128_X25519_MLDSA65;
    final HqcX25519 kem = new HqcX25519(SUITE, new SecureRandom());

    /**
     * X25519 public keys whose shared secret with any (clamped) private key is all zeros: the points
     * of order 1, 2, 4 and 8, the same values plus p, and two with the ignored top bit set.
     */
    static final String[] LOW_ORDER = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    };

    @Test
    void sizesAreThoseOfBouncyCastlesHqc128PlusX25519() {
        assertEquals("HQC-128+X25519", kem.algorithm());
        assertEquals(2241, HQCParameters.hqc128.getPublicKeyBytes());
        assertEquals(4433, HQCParameters.hqc128.getEncapsulationLength());
        assertEquals(32, HQCParameters.hqc128.getSecretKeyBytes(), "BC's HQC secret key is the 32-byte seed");
        assertEquals(2241 + 32, kem.publicKeySize());
        assertEquals(4433 + 32, kem.ciphertextSize());
        assertEquals(32, kem.sharedSecretSize());
        try (KeyPair pair = kem.generateKeyPair()) {
            assertEquals(2273, pair.publicKey().size());
            assertEquals(32, pair.secretKey().length());
            assertEquals(SUITE, pair.publicKey().suite());
            assertEquals(KeyPurpose.KEM, pair.publicKey().purpose());
        }
    }

    @Test
    void roundTripAgreesOnTheSharedSecret() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (KeyPair pair = kem.generateKeyPair(); Encapsulation enc = kem.encapsulate(pair.publicKey())) {
                assertEquals(4465, enc.ciphertext().size());
                assertEquals(pair.publicKey().keyId(), enc.ciphertext().recipientKey());
                assertEquals(SUITE, enc.ciphertext().suite());
                try (SecretBytes theirs = kem.decapsulate(pair, enc.ciphertext())) {
                    assertEquals(32, theirs.length());
                    assertArrayEquals(enc.sharedSecret().copy(), theirs.copy());
                }
            }
        }
    }

    @Test
    void twoEncapsulationsToOneKeyGiveDifferentSecretsAndCiphertexts() throws Exception {
        try (KeyPair pair = kem.generateKeyPair();
                Encapsulation a = kem.encapsulate(pair.publicKey());
                Encapsulation b = kem.encapsulate(pair.publicKey())) {
            assertFalse(Arrays.equals(a.ciphertext().bytes(), b.ciphertext().bytes()));
            assertFalse(Arrays.equals(a.sharedSecret().copy(), b.sharedSecret().copy()));
        }
    }

    @Test
    void sharedSecretIsTheDocumentedCombinerOverTheComponentSecrets() throws Exception {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 0x42);
        try (KeyPair pair = kem.deriveKeyPair(seed); Encapsulation enc = kem.encapsulate(pair.publicKey())) {
            byte[] expanded = HqcX25519.expand(seed);
            byte[] seedHqc = Arrays.copyOfRange(expanded, 0, 32);
            byte[] skX = Arrays.copyOfRange(expanded, 32, 64);
            byte[] ct = enc.ciphertext().bytes();
            byte[] pk = pair.publicKey().key();
            byte[] ctX = Arrays.copyOfRange(ct, 4433, 4465);
            byte[] pkX = Arrays.copyOfRange(pk, 2241, 2273);
            assertArrayEquals(X25519.publicKey(skX), pkX, "public key ends with the X25519 key");
            assertArrayEquals(new HQCPrivateKeyParameters(HQCParameters.hqc128, seedHqc).getPublicKeyParameters().getEncoded(),
                    Arrays.copyOf(pk, 2241), "public key starts with the HQC-128 key");
            byte[] ssHqc = new HQCKEMExtractor(new HQCPrivateKeyParameters(HQCParameters.hqc128, seedHqc))
                    .extractSecret(Arrays.copyOf(ct, 4433));
            byte[] ssX = X25519.agree(skX, ctX);

            org.bouncycastle.crypto.digests.SHA3Digest sha3 = new org.bouncycastle.crypto.digests.SHA3Digest(256);
            for (byte[] part : new byte[][] {"qdht/hqc128-x25519/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    ssHqc, ssX, Arrays.copyOf(ct, 4433), ctX, pkX}) {
                sha3.update(part, 0, part.length);
            }
            byte[] expected = new byte[32];
            sha3.doFinal(expected, 0);
            assertArrayEquals(expected, enc.sharedSecret().copy());
        }
    }

    @Test
    void derivationIsDeterministicAndDecapsulatesWhatWasEncapsulated() throws Exception {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        try (KeyPair a = kem.deriveKeyPair(seed); KeyPair b = kem.deriveKeyPair(seed)) {
            assertEquals(a.publicKey(), b.publicKey());
            assertArrayEquals(a.secretKey().copy(), b.secretKey().copy());
            assertArrayEquals(seed, a.secretKey().copy(), "the secret key is the seed");
            Encapsulation enc = kem.encapsulate(a.publicKey());
            assertArrayEquals(enc.sharedSecret().copy(), kem.decapsulate(b, enc.ciphertext()).copy());
        }
        byte[] other = seed.clone();
        other[31] ^= 1;
        try (KeyPair a = kem.deriveKeyPair(seed); KeyPair c = kem.deriveKeyPair(other)) {
            assertNotEquals(a.publicKey(), c.publicKey());
            assertFalse(Arrays.equals(Arrays.copyOf(a.publicKey().key(), 2241), Arrays.copyOf(c.publicKey().key(), 2241)));
            assertFalse(Arrays.equals(Arrays.copyOfRange(a.publicKey().key(), 2241, 2273),
                    Arrays.copyOfRange(c.publicKey().key(), 2241, 2273)));
        }
    }

    /**
     * A fixed seed and a fixed random stream give fixed bytes. Not an external known-answer test
     * (there is none for this hybrid): it pins this bundle's wire bytes, so a change of Bouncy
     * Castle's HQC, of the key expansion or of the combiner cannot go unnoticed.
     */
    @Test
    void regressionVectorIsStable() throws Exception {
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) i;
        }
        HqcX25519 fixed = new HqcX25519(SUITE, new StreamRandom("qdht hqc regression"));
        try (KeyPair pair = fixed.deriveKeyPair(seed); Encapsulation enc = fixed.encapsulate(pair.publicKey())) {
            assertEquals(PK_SHA256, Hex.toHexString(sha256(pair.publicKey().key())));
            assertEquals(CT_SHA256, Hex.toHexString(sha256(enc.ciphertext().bytes())));
            assertEquals(SHARED_SECRET, Hex.toHexString(enc.sharedSecret().copy()));
            assertEquals(SHARED_SECRET, Hex.toHexString(fixed.decapsulate(pair, enc.ciphertext()).copy()));
        }
    }

    static final String PK_SHA256 = "a5b5706de0af929766907bd2742765bfffd13f3c8bd1669b5e98d6c52b3e35dc";
    static final String CT_SHA256 = "0d4d46ec8de467d4f49b4bc668b00533d0dc529ab2a976b83ada78238f828d0c";
    static final String SHARED_SECRET = "c5a4e8a68b42add94e74fa92743a0e950de248fe7988a261513340f4891446c9";

    @Test
    void seedsOfOtherSizesAreRefused() {
        for (int n : new int[] {0, 16, 31, 33, 64}) {
            assertReason(Reason.MALFORMED_INPUT, () -> kem.deriveKeyPair(new byte[n]));
        }
        assertReason(Reason.MALFORMED_INPUT, () -> kem.deriveKeyPair(null));
    }

    @Test
    void tamperedCiphertextGivesAnUnrelatedSecret() throws Exception {
        try (KeyPair pair = kem.generateKeyPair(); Encapsulation enc = kem.encapsulate(pair.publicKey())) {
            byte[] good = enc.sharedSecret().copy();
            Set<String> seen = new HashSet<>();
            // the HQC vector u, the HQC vector v, the HQC salt, the X25519 ephemeral key
            for (int at : new int[] {0, 1000, 2208, 2209, 3000, 4416, 4420, 4432, 4433, 4450, 4463}) {
                byte[] ct = enc.ciphertext().bytes();
                ct[at] ^= 0x01;
                byte[] other = kem.decapsulate(pair, KemCiphertext.of(SUITE, pair.publicKey().keyId(), ct)).copy();
                assertFalse(Arrays.equals(good, other), "byte " + at + " changed, secret must change");
                assertTrue(seen.add(Hex.toHexString(other)), "byte " + at + " gives a secret of its own");
            }
        }
    }

    @Test
    void ciphertextForAnotherKeyGivesAnUnrelatedSecret() throws Exception {
        try (KeyPair alice = kem.generateKeyPair(); KeyPair bob = kem.generateKeyPair();
                Encapsulation enc = kem.encapsulate(alice.publicKey())) {
            assertFalse(Arrays.equals(enc.sharedSecret().copy(), kem.decapsulate(bob, enc.ciphertext()).copy()));
        }
    }

    @Test
    void randomCiphertextsOfTheRightSizeDecapsulateWithoutUncheckedExceptions() throws Exception {
        SecureRandom r = new SecureRandom();
        try (KeyPair pair = kem.generateKeyPair()) {
            for (int i = 0; i < 20; i++) {
                byte[] ct = new byte[4465];
                r.nextBytes(ct);
                assertEquals(32, kem.decapsulate(pair, KemCiphertext.of(SUITE, pair.publicKey().keyId(), ct)).length());
            }
        }
    }

    @Test
    void publicKeysOfWrongSizeSuiteOrPurposeAreRefused() throws Exception {
        try (KeyPair pair = kem.generateKeyPair()) {
            byte[] pk = pair.publicKey().key();
            for (int n : new int[] {1, 32, 2241, 2272, 2274, 1216}) {
                byte[] wrong = Arrays.copyOf(pk, n);
                assertReason(Reason.MALFORMED_INPUT, () -> kem.encapsulate(EncodedPublicKey.of(SUITE, KeyPurpose.KEM,
                        KeyIds.of(SUITE, KeyPurpose.KEM, wrong), wrong)));
            }
            assertReason(Reason.SUITE_MISMATCH, () -> kem.encapsulate(EncodedPublicKey.of(SuiteId.XWING_MLDSA65,
                    KeyPurpose.KEM, pk)));
            assertReason(Reason.SUITE_MISMATCH, () -> kem.encapsulate(EncodedPublicKey.of(SUITE,
                    KeyPurpose.SIGNATURE, pk)));
        }
        // real keys of other suites: X-Wing and ML-KEM-1024
        try (KeyPair xwing = Suites.xwingMlDsa65(new SecureRandom()).kem().generateKeyPair();
                KeyPair mlkem = Suites.mlKem1024MlDsa87(new SecureRandom()).kem().generateKeyPair()) {
            assertReason(Reason.SUITE_MISMATCH, () -> kem.encapsulate(xwing.publicKey()));
            assertReason(Reason.SUITE_MISMATCH, () -> kem.encapsulate(mlkem.publicKey()));
        }
    }

    @Test
    void hqcPublicKeyWithBitsBeyondNIsRefused() throws Exception {
        try (KeyPair pair = kem.generateKeyPair()) {
            for (int bit = 5; bit < 8; bit++) {
                byte[] pk = pair.publicKey().key();
                pk[2240] |= (byte) (1 << bit);
                assertReason(Reason.MALFORMED_INPUT, () -> kem.encapsulate(EncodedPublicKey.of(SUITE, KeyPurpose.KEM,
                        KeyIds.of(SUITE, KeyPurpose.KEM, pk), pk)));
            }
        }
    }

    @Test
    void ciphertextsOfWrongSizeOrSuiteAreRefused() throws Exception {
        try (KeyPair pair = kem.generateKeyPair(); Encapsulation enc = kem.encapsulate(pair.publicKey())) {
            byte[] ct = enc.ciphertext().bytes();
            for (int n : new int[] {1, 32, 4433, 4464, 4466, 1120}) {
                KemCiphertext wrong = KemCiphertext.of(SUITE, pair.publicKey().keyId(), Arrays.copyOf(ct, n));
                assertReason(Reason.MALFORMED_INPUT, () -> kem.decapsulate(pair, wrong));
            }
            assertReason(Reason.SUITE_MISMATCH, () -> kem.decapsulate(pair,
                    KemCiphertext.of(SuiteId.XWING_MLDSA65, pair.publicKey().keyId(), ct)));
        }
    }

    @Test
    void keyPairsOfOtherSuitesPurposesOrSizesAreRefused() throws Exception {
        try (KeyPair pair = kem.generateKeyPair(); Encapsulation enc = kem.encapsulate(pair.publicKey());
                KeyPair xwing = Suites.xwingMlDsa65(new SecureRandom()).kem().generateKeyPair()) {
            // an X-Wing secret key is also a 32-byte seed: only the suite tells them apart
            assertReason(Reason.SUITE_MISMATCH, () -> kem.decapsulate(xwing, enc.ciphertext()));
            KeyPair signing = new KeyPair(EncodedPublicKey.of(SUITE, KeyPurpose.SIGNATURE, pair.publicKey().key()),
                    SecretBytes.copyOf(pair.secretKey().copy()));
            assertReason(Reason.SUITE_MISMATCH, () -> kem.decapsulate(signing, enc.ciphertext()));
            for (int n : new int[] {1, 31, 33, 64, 2289}) {
                KeyPair wrong = new KeyPair(pair.publicKey(), SecretBytes.wrap(new byte[n]));
                assertReason(Reason.MALFORMED_INPUT, () -> kem.decapsulate(wrong, enc.ciphertext()));
            }
            KeyPair destroyed = kem.generateKeyPair();
            destroyed.destroy();
            assertReason(Reason.KEY_DESTROYED, () -> kem.decapsulate(destroyed, enc.ciphertext()));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void lowOrderX25519KeyOfTheRecipientIsRefused(int index) throws Exception {
        try (KeyPair pair = kem.generateKeyPair()) {
            byte[] pk = pair.publicKey().key();
            System.arraycopy(Hex.decode(LOW_ORDER[index]), 0, pk, 2241, 32);
            assertReason(Reason.MALFORMED_INPUT, () -> kem.encapsulate(EncodedPublicKey.of(SUITE, KeyPurpose.KEM,
                    KeyIds.of(SUITE, KeyPurpose.KEM, pk), pk)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void lowOrderX25519EphemeralKeyInTheCiphertextIsRefused(int index) throws Exception {
        try (KeyPair pair = kem.generateKeyPair(); Encapsulation enc = kem.encapsulate(pair.publicKey())) {
            byte[] ct = enc.ciphertext().bytes();
            System.arraycopy(Hex.decode(LOW_ORDER[index]), 0, ct, 4433, 32);
            assertReason(Reason.MALFORMED_INPUT, () -> kem.decapsulate(pair, KemCiphertext.of(SUITE, pair.publicKey().keyId(), ct)));
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    interface Call {
        Object run() throws CryptoException;
    }

    /** The call fails with a CryptoException of {@code reason}: not an unchecked exception, not success. */
    static void assertReason(Reason reason, Call call) {
        CryptoException e = assertThrows(CryptoException.class, call::run);
        assertEquals(reason, e.reason(), e.getMessage());
    }

    static byte[] sha256(byte[] data) {
        SHA256Digest d = new SHA256Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
