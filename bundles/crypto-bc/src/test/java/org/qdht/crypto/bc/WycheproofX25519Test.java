package org.qdht.crypto.bc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.qdht.crypto.bc.WycheproofVectors.attempt;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.qdht.crypto.bc.WycheproofVectors.Result;
import org.qdht.crypto.bc.WycheproofVectors.TestCase;
import org.qdht.crypto.bc.WycheproofVectors.VectorFile;

/**
 * Wycheproof X25519 through {@link X25519#agree}. Valid cases must give the expected shared
 * secret. Acceptable cases (twist points, non-canonical keys) may be refused, but a result, when
 * there is one, must be the right one; and since {@link X25519#agree} documents that it refuses
 * low-order keys whose shared secret is all zeros (RFC 7748 section 6.1), those acceptable cases
 * must be refused with a CryptoException here.
 */
class WycheproofX25519Test {
    private static final String FILE = "x25519_test.json";

    @TestFactory
    Stream<DynamicNode> vectors() {
        return Stream.of(WycheproofVectors.cases(WycheproofVectors.load(FILE), WycheproofX25519Test::skip,
                WycheproofX25519Test::agree, null));
    }

    @Test
    void counts() {
        VectorFile file = WycheproofVectors.load(FILE);
        WycheproofVectors.Tally.of(file, WycheproofX25519Test::skip).assertCounts(file, 518, 0);
    }

    private static Optional<String> skip(TestCase tc) {
        // X25519.agree takes any byte arrays and refuses wrong sizes itself: every case is expressible
        return Optional.empty();
    }

    private static void agree(TestCase tc) {
        byte[] priv = tc.bytes("private");
        byte[] pub = tc.bytes("public");
        byte[] shared = tc.bytes("shared");
        WycheproofVectors.Outcome<byte[]> out = attempt(tc, "X25519.agree", () -> X25519.agree(priv, pub));
        boolean zeroShared = Arrays.equals(shared, new byte[shared.length]);
        if (tc.result() == Result.INVALID || zeroShared) {
            out.rejection();
        } else if (tc.result() == Result.VALID) {
            assertArrayEquals(shared, out.value(), tc + ": shared secret");
        } else {
            out.ifAccepted(s -> Arrays.equals(shared, s), "gave a shared secret other than " + WycheproofVectors.hex(shared));
        }
    }
}
