package org.qdht.api;

import java.util.Arrays;
import java.util.HexFormat;

/** Shared checks for the fixed-length identifiers of this package. */
final class FixedBytes {
    private FixedBytes() {
    }

    static byte[] copyExact(byte[] bytes, int length, String what) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return bytes.clone();
    }

    static byte[] parseHex(String hex, int length, String what) {
        if (hex == null || hex.length() != 2 * length) {
            throw new IllegalArgumentException(what + " must be " + (2 * length) + " hex digits");
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not hexadecimal: " + hex);
        }
    }

    static int compareUnsigned(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
