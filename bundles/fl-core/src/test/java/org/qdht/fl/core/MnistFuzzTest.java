package org.qdht.fl.core;

import java.io.IOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the IDX reader on arbitrary bytes, since a cache directory can hold anything: an input
 * is read as an image file and as a label file, and each may only succeed or fail with an
 * {@link IOException}. Any other exception, a hang, or an allocation the header was not checked
 * for is a finding. The first byte chooses whether the magic is forced to the right value, so that
 * the fuzzer gets past it at once.
 */
class MnistFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void readAnyIdx(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] bytes = java.util.Arrays.copyOfRange(input, 1, input.length);
        boolean force = (input[0] & 1) != 0 && bytes.length >= 4;
        try {
            if (force) {
                bytes[0] = 0;
                bytes[1] = 0;
                bytes[2] = 8;
                bytes[3] = 3;
            }
            Mnist.Images images = Mnist.readImages(bytes);
            if (images.pixels().length != images.count() * images.rows() * images.columns()) {
                throw new AssertionError("pixel count does not match the header");
            }
        } catch (IOException refused) {
            // the only way to refuse
        }
        try {
            if (force) {
                bytes[3] = 1;
            }
            byte[] labels = Mnist.readLabels(bytes);
            for (byte l : labels) {
                if (l < 0 || l > 9) {
                    throw new AssertionError("label " + l + " accepted");
                }
            }
        } catch (IOException refused) {
            // the only way to refuse
        }
    }
}
