package org.qdht.crypto.bc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.qdht.crypto.bc.WycheproofVectors.attempt;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.qdht.api.crypto.Kdf;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.crypto.bc.WycheproofVectors.Result;
import org.qdht.crypto.bc.WycheproofVectors.TestCase;
import org.qdht.crypto.bc.WycheproofVectors.VectorFile;

/**
 * Wycheproof HKDF-SHA-256 through {@link HkdfSha256}, both through the {@link Kdf} contract (input
 * key as SecretBytes) and over raw input keying material. Valid cases must give {@code okm};
 * invalid ones (output larger than 255 hash lengths) must be refused with a CryptoException.
 */
class WycheproofHkdfTest {
    private static final String FILE = "hkdf_sha256_test.json";
    private static final HkdfSha256 HKDF = new HkdfSha256();

    @TestFactory
    Stream<DynamicNode> vectors() {
        return Stream.of(WycheproofVectors.cases(WycheproofVectors.load(FILE), WycheproofHkdfTest::skip,
                WycheproofHkdfTest::derive, null));
    }

    @Test
    void counts() {
        VectorFile file = WycheproofVectors.load(FILE);
        WycheproofVectors.Tally.of(file, WycheproofHkdfTest::skip).assertCounts(file, 86, 0);
    }

    @Test
    void maxOutputSize() {
        assertEquals(255 * 32, HKDF.maxOutputSize());
    }

    private static Optional<String> skip(TestCase tc) {
        int size = tc.integer("size");
        return WycheproofVectors.skipIf(tc.result() != Result.INVALID && (size <= 0 || size > HKDF.maxOutputSize()),
                "valid output size " + size + " outside the API's 1-" + HKDF.maxOutputSize() + " bytes");
    }

    private static void derive(TestCase tc) {
        byte[] ikm = tc.bytes("ikm");
        byte[] salt = tc.bytes("salt");
        byte[] info = tc.bytes("info");
        int size = tc.integer("size");
        Kdf kdf = HKDF;
        // SecretBytes cannot hold an empty secret: the Kdf contract is then not expressible, the raw overload is
        WycheproofVectors.Outcome<SecretBytes> viaContract = ikm.length == 0 ? null
                : attempt(tc, "Kdf.derive(SecretBytes)", () -> kdf.derive(salt, SecretBytes.copyOf(ikm), info, size));
        WycheproofVectors.Outcome<SecretBytes> viaRaw = attempt(tc, "derive(byte[])", () -> HKDF.derive(salt, ikm, info, size));
        if (tc.result() == Result.INVALID) {
            if (viaContract != null) {
                viaContract.rejection();
            }
            viaRaw.rejection();
            return;
        }
        byte[] okm = tc.bytes("okm");
        if (viaContract != null) {
            assertArrayEquals(okm, attempt(tc, "copy", viaContract.value()::copy).value(), tc + ": okm (Kdf contract)");
        }
        assertArrayEquals(okm, attempt(tc, "copy", viaRaw.value()::copy).value(), tc + ": okm (raw ikm)");
    }
}
