package org.qdht.crypto.bc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.qdht.crypto.bc.WycheproofVectors.attempt;

import java.util.Optional;
import java.util.stream.Stream;

import org.bouncycastle.crypto.params.MLDSAParameters;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.crypto.bc.WycheproofVectors.Result;
import org.qdht.crypto.bc.WycheproofVectors.TestCase;
import org.qdht.crypto.bc.WycheproofVectors.VectorFile;

/**
 * Wycheproof ML-DSA-65 through {@link MlDsa}: verification (pure ML-DSA, empty context) and
 * signing from the 32-byte seed {@code xi}, deterministically ({@code rnd} = 32 zero bytes) or with
 * the vector's {@code rnd}. The API signs pure ML-DSA with the empty context only, so cases with
 * a non-empty context string, and "internal" cases that give only the external {@code mu}, cannot
 * be expressed and are skipped.
 */
class WycheproofMlDsaTest {
    private static final String VERIFY = "mldsa_65_verify_test.json";
    private static final String SIGN = "mldsa_65_sign_seed_test.json";

    private static final SuiteId SUITE = SuiteId.MLKEM768_MLDSA65;
    /** Verification and key derivation must not draw randomness: this source refuses every draw. */
    private static final MlDsa ML_DSA = new MlDsa(SUITE, MLDSAParameters.ml_dsa_65, FixedBytesRandom.none());

    private static final String CONTEXT = "non-empty context string (the API signs pure ML-DSA with the empty context)";
    private static final String EXTERNAL_MU = "external mu / Sign_internal (the API signs messages, not mu)";

    @TestFactory
    Stream<DynamicNode> vectors() {
        return Stream.of(
                WycheproofVectors.cases(WycheproofVectors.load(VERIFY), WycheproofMlDsaTest::verifySkip,
                        WycheproofMlDsaTest::verify, WycheproofMlDsaTest::verifyNoUnchecked),
                WycheproofVectors.cases(WycheproofVectors.load(SIGN), WycheproofMlDsaTest::signSkip,
                        WycheproofMlDsaTest::sign, null));
    }

    @Test
    void verifyCounts() {
        VectorFile file = WycheproofVectors.load(VERIFY);
        WycheproofVectors.Tally.of(file, WycheproofMlDsaTest::verifySkip).assertCounts(file, 203, 7);
    }

    @Test
    void signCounts() {
        VectorFile file = WycheproofVectors.load(SIGN);
        WycheproofVectors.Tally.of(file, WycheproofMlDsaTest::signSkip).assertCounts(file, 84, 21);
    }

    // --- verification ---

    private static Optional<String> verifySkip(TestCase tc) {
        if (tc.has("ctx") && tc.bytes("ctx").length > 0) {
            return Optional.of(CONTEXT);
        }
        int pk = tc.groupBytes("publicKey").length;
        int sig = tc.bytes("sig").length;
        if (pk == 0 || pk > EncodedPublicKey.MAX_KEY_SIZE) {
            return Optional.of("public key of " + pk + " bytes cannot be wrapped in an EncodedPublicKey");
        }
        return WycheproofVectors.skipIf(sig == 0 || sig > SuiteSignature.MAX_SIGNATURE_SIZE,
                "signature of " + sig + " bytes cannot be wrapped in a SuiteSignature");
    }

    private static void verify(TestCase tc) {
        byte[] pkBytes = tc.groupBytes("publicKey");
        byte[] msg = tc.bytes("msg");
        byte[] sig = tc.bytes("sig");
        EncodedPublicKey pk = EncodedPublicKey.of(SUITE, KeyPurpose.SIGNATURE,
                KeyIds.of(SUITE, KeyPurpose.SIGNATURE, pkBytes), pkBytes);
        SuiteSignature signature = SuiteSignature.of(SUITE, pk.keyId(), sig);
        WycheproofVectors.Outcome<Boolean> verified = attempt(tc, "verify", () -> ML_DSA.verify(pk, msg, signature));
        boolean raw = verifyRaw(tc, pkBytes, msg, sig);
        if (tc.result() == Result.VALID) {
            assertTrue(verified.value(), tc + ": verify must accept a valid signature");
            assertTrue(raw, tc + ": verifyRaw must accept a valid signature");
        } else if (tc.result() == Result.INVALID) {
            // false, or CryptoException (a public key of the wrong size is refused as malformed)
            if (!verified.rejected()) {
                assertFalse(verified.value(), tc + ": verify must not accept an invalid signature");
            }
            assertFalse(raw, tc + ": verifyRaw must not accept an invalid signature");
        }
    }

    /** For skipped cases: verifying with the empty context must still answer, not throw unchecked. */
    private static void verifyNoUnchecked(TestCase tc) {
        byte[] pkBytes = tc.groupBytes("publicKey");
        verifyRaw(tc, pkBytes, tc.bytes("msg"), tc.bytes("sig"));
    }

    private static boolean verifyRaw(TestCase tc, byte[] pk, byte[] msg, byte[] sig) {
        try {
            return ML_DSA.verifyRaw(pk, msg, sig);
        } catch (RuntimeException e) {
            throw new AssertionFailedError(tc + ": verifyRaw let an unchecked exception escape: " + e, e);
        }
    }

    // --- signing from seed ---

    private static Optional<String> signSkip(TestCase tc) {
        if (tc.groupBytes("privateSeed").length != MlDsa.SEED_SIZE) {
            return Optional.empty(); // wrong seed length: checked, must be refused
        }
        if (!tc.has("msg")) {
            return Optional.of(EXTERNAL_MU);
        }
        return WycheproofVectors.skipIf(tc.has("ctx") && tc.bytes("ctx").length > 0, CONTEXT);
    }

    private static void sign(TestCase tc) {
        byte[] seed = tc.groupBytes("privateSeed");
        WycheproofVectors.Outcome<KeyPair> key = attempt(tc, "deriveKeyPair", () -> ML_DSA.deriveKeyPair(seed));
        if (tc.result() == Result.INVALID && key.rejected()) {
            return; // private seed of the wrong length refused with CryptoException
        }
        KeyPair keyPair = key.value();
        if (tc.groupHas("publicKey") && tc.groupBytes("publicKey").length > 0) {
            assertArrayEquals(tc.groupBytes("publicKey"), keyPair.publicKey().key(), tc + ": public key from seed");
        }
        byte[] msg = tc.bytes("msg");
        FixedBytesRandom rnd = tc.has("rnd") ? new FixedBytesRandom(tc.bytes("rnd")) : FixedBytesRandom.zeros(32);
        WycheproofVectors.Outcome<SuiteSignature> signed = attempt(tc, "sign", () -> ML_DSA.sign(keyPair, msg, rnd));
        if (tc.result() == Result.INVALID) {
            signed.rejection();
            return;
        }
        SuiteSignature signature = signed.value();
        assertTrue(rnd.exhausted(), tc + ": sign did not draw the 32 bytes of rnd");
        assertEquals(keyPair.publicKey().keyId(), signature.keyId(), tc + ": signature key id");
        assertArrayEquals(tc.bytes("sig"), signature.bytes(), tc + ": signature");
        if (!attempt(tc, "verify own signature", () -> ML_DSA.verify(keyPair.publicKey(), msg, signature)).value()) {
            fail(tc + ": the signature made does not verify");
        }
    }
}
