package org.qdht.crypto.bc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.crypto.bc.WycheproofVectors.attempt;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import org.bouncycastle.crypto.params.MLKEMParameters;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.crypto.bc.WycheproofVectors.Result;
import org.qdht.crypto.bc.WycheproofVectors.TestCase;
import org.qdht.crypto.bc.WycheproofVectors.VectorFile;

/**
 * Wycheproof ML-KEM-768 through {@link MlKem}: decapsulation (including invalid private keys and
 * ciphertexts of the wrong length), encapsulation with the vector's randomness {@code m}
 * (including encapsulation keys of the wrong length or failing the FIPS 203 modulus check) and key
 * generation from the seed {@code d || z}.
 */
class WycheproofMlKemTest {
    private static final String DECAPS = "mlkem_768_test.json";
    private static final String ENCAPS = "mlkem_768_encaps_test.json";
    private static final String KEYGEN = "mlkem_768_keygen_seed_test.json";

    private static final SuiteId SUITE = SuiteId.MLKEM768_MLDSA65;
    private static final MLKEMParameters PARAMETERS = MLKEMParameters.ml_kem_768;
    /** Decapsulation and key derivation must not draw randomness: this source refuses every draw. */
    private static final MlKem DETERMINISTIC = new MlKem(SUITE, PARAMETERS, FixedBytesRandom.none());

    @TestFactory
    Stream<DynamicNode> vectors() {
        return Stream.of(
                WycheproofVectors.cases(WycheproofVectors.load(DECAPS), WycheproofMlKemTest::decapsSkip,
                        WycheproofMlKemTest::decaps, null),
                WycheproofVectors.cases(WycheproofVectors.load(ENCAPS), WycheproofMlKemTest::encapsSkip,
                        WycheproofMlKemTest::encaps, null),
                WycheproofVectors.cases(WycheproofVectors.load(KEYGEN), tc -> Optional.empty(),
                        WycheproofMlKemTest::keygen, null));
    }

    @Test
    void decapsCounts() {
        VectorFile file = WycheproofVectors.load(DECAPS);
        WycheproofVectors.Tally.of(file, WycheproofMlKemTest::decapsSkip).assertCounts(file, 193, 0);
    }

    @Test
    void encapsCounts() {
        VectorFile file = WycheproofVectors.load(ENCAPS);
        WycheproofVectors.Tally.of(file, WycheproofMlKemTest::encapsSkip).assertCounts(file, 265, 0);
    }

    @Test
    void keygenCounts() {
        VectorFile file = WycheproofVectors.load(KEYGEN);
        WycheproofVectors.Tally.of(file, tc -> Optional.empty()).assertCounts(file, 100, 0);
    }

    // --- decapsulation ---

    private static Optional<String> decapsSkip(TestCase tc) {
        int c = tc.bytes("c").length;
        return WycheproofVectors.skipIf(c == 0 || c > KemCiphertext.MAX_CIPHERTEXT_SIZE,
                "ciphertext of " + c + " bytes cannot be wrapped in a KemCiphertext");
    }

    private static void decaps(TestCase tc) {
        assertEquals("ML-KEM-768", tc.groupText("parameterSet"), tc + ": parameter set");
        WycheproofVectors.Outcome<KeyPair> key = tc.has("dk")
                ? attempt(tc, "fromDecapsulationKey", () -> DETERMINISTIC.fromDecapsulationKey(tc.bytes("dk")))
                : attempt(tc, "deriveKeyPair", () -> DETERMINISTIC.deriveKeyPair(tc.bytes("seed")));
        if (tc.result() == Result.INVALID && key.rejected()) {
            return; // invalid private key (wrong seed length, failed hash check) refused with CryptoException
        }
        KeyPair keyPair = key.value();
        if (tc.has("ek")) {
            assertArrayEquals(tc.bytes("ek"), keyPair.publicKey().key(), tc + ": encapsulation key");
        }
        KemCiphertext ciphertext = KemCiphertext.of(SUITE, keyPair.publicKey().keyId(), tc.bytes("c"));
        WycheproofVectors.Outcome<SecretBytes> shared = attempt(tc, "decapsulate",
                () -> DETERMINISTIC.decapsulate(keyPair, ciphertext));
        if (tc.result() == Result.INVALID) {
            shared.rejection();
        } else {
            assertArrayEquals(tc.bytes("K"), copy(tc, shared.value()), tc + ": shared secret");
        }
    }

    // --- encapsulation ---

    private static Optional<String> encapsSkip(TestCase tc) {
        int ek = tc.bytes("ek").length;
        return WycheproofVectors.skipIf(ek == 0 || ek > EncodedPublicKey.MAX_KEY_SIZE,
                "encapsulation key of " + ek + " bytes cannot be wrapped in an EncodedPublicKey");
    }

    private static void encaps(TestCase tc) {
        assertEquals("ML-KEM-768", tc.groupText("parameterSet"), tc + ": parameter set");
        byte[] ek = tc.bytes("ek");
        FixedBytesRandom m = new FixedBytesRandom(tc.bytes("m"));
        MlKem kem = new MlKem(SUITE, PARAMETERS, m);
        EncodedPublicKey recipient = EncodedPublicKey.of(SUITE, KeyPurpose.KEM, KeyIds.of(SUITE, KeyPurpose.KEM, ek), ek);
        WycheproofVectors.Outcome<Encapsulation> result = attempt(tc, "encapsulate", () -> kem.encapsulate(recipient));
        if (tc.result() == Result.INVALID) {
            result.rejection();
            return;
        }
        Encapsulation encapsulation = result.value();
        assertTrue(m.exhausted(), tc + ": encapsulate did not draw the 32 bytes of m");
        assertEquals(SUITE, encapsulation.ciphertext().suite(), tc + ": ciphertext suite");
        assertEquals(recipient.keyId(), encapsulation.ciphertext().recipientKey(), tc + ": ciphertext recipient");
        assertArrayEquals(tc.bytes("c"), encapsulation.ciphertext().bytes(), tc + ": ciphertext");
        assertArrayEquals(tc.bytes("K"), copy(tc, encapsulation.sharedSecret()), tc + ": shared secret");
    }

    // --- key generation from seed, and the decapsulation-key checks on its dk ---

    private static void keygen(TestCase tc) {
        assertEquals("ML-KEM-768", tc.groupText("parameterSet"), tc + ": parameter set");
        byte[] ek = tc.bytes("ek");
        byte[] dk = tc.bytes("dk");
        KeyPair derived = attempt(tc, "deriveKeyPair", () -> DETERMINISTIC.deriveKeyPair(tc.bytes("seed"))).value();
        assertArrayEquals(ek, derived.publicKey().key(), tc + ": ek");
        assertArrayEquals(dk, copy(tc, derived.secretKey()), tc + ": dk");
        assertEquals(KeyIds.of(SUITE, KeyPurpose.KEM, ek), derived.publicKey().keyId(), tc + ": key id");

        // the stored dk rebuilds the same key pair, after the FIPS 203 hash check
        KeyPair rebuilt = attempt(tc, "fromDecapsulationKey(dk)", () -> DETERMINISTIC.fromDecapsulationKey(dk)).value();
        assertArrayEquals(ek, rebuilt.publicKey().key(), tc + ": ek from dk");
        assertArrayEquals(dk, copy(tc, rebuilt.secretKey()), tc + ": dk round trip");

        // derived negative checks (not Wycheproof cases): a dk that fails the hash check, or has
        // the wrong length, is refused with a CryptoException
        int k = 3;
        int ekStart = 384 * k;
        int hashStart = 768 * k + 32;
        byte[] badHash = dk.clone();
        badHash[hashStart] ^= 0x01;
        attempt(tc, "fromDecapsulationKey(dk with H(ek) altered)", () -> DETERMINISTIC.fromDecapsulationKey(badHash)).rejection();
        byte[] badEk = dk.clone();
        badEk[ekStart + 7] ^= 0x40;
        attempt(tc, "fromDecapsulationKey(dk with ek altered)", () -> DETERMINISTIC.fromDecapsulationKey(badEk)).rejection();
        byte[] shortDk = Arrays.copyOf(dk, dk.length - 1);
        attempt(tc, "fromDecapsulationKey(dk one byte short)", () -> DETERMINISTIC.fromDecapsulationKey(shortDk)).rejection();
        byte[] longDk = Arrays.copyOf(dk, dk.length + 1);
        attempt(tc, "fromDecapsulationKey(dk one byte long)", () -> DETERMINISTIC.fromDecapsulationKey(longDk)).rejection();
        // decapsulating with a key pair whose stored dk was corrupted also fails the hash check
        KeyPair corrupted = new KeyPair(derived.publicKey(), SecretBytes.copyOf(badHash));
        KemCiphertext anyCiphertext = KemCiphertext.of(SUITE, derived.publicKey().keyId(), new byte[PARAMETERS.getEncapsulationLength()]);
        attempt(tc, "decapsulate with a corrupted dk", () -> DETERMINISTIC.decapsulate(corrupted, anyCiphertext)).rejection();
    }

    private static byte[] copy(TestCase tc, SecretBytes secret) {
        return attempt(tc, "SecretBytes.copy", secret::copy).value();
    }

    /** Guards the constants the negative checks above rely on. */
    @Test
    void decapsulationKeyLayout() {
        assertEquals(2400, DETERMINISTIC.secretKeySize());
        assertEquals(1184, DETERMINISTIC.publicKeySize());
        assertEquals(3, PARAMETERS.getK());
    }
}
