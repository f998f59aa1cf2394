package org.qdht.fl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    @Test
    void readsImagesScaledToUnitInterval() throws IOException {
        byte[] idx = IdxFiles.images(2, 3, 2);
        Mnist.Images images = Mnist.readImages(idx);
        assertEquals(2, images.count());
        assertEquals(3, images.rows());
        assertEquals(2, images.columns());
        for (int i = 0; i < 12; i++) {
            assertEquals((idx[16 + i] & 0xFF) / 255f, images.pixels()[i], 0f);
        }
        assertEquals(1f, Mnist.readImages(withPixel((byte) 0xFF)).pixels()[0], 0f);
    }

    private static byte[] withPixel(byte pixel) {
        return ByteBuffer.allocate(17).putInt(Mnist.IMAGE_MAGIC).putInt(1).putInt(1).putInt(1).put(pixel).array();
    }

    @Test
    void readsLabelsAndJoinsThem(@TempDir Path dir) throws IOException {
        Path images = dir.resolve("i");
        Path labels = dir.resolve("l");
        Files.write(images, IdxFiles.images(3, 2, 2));
        Files.write(labels, IdxFiles.labels(Mnist.LABEL_MAGIC, (byte) 7, (byte) 0, (byte) 9));
        Dataset data = Mnist.load(images, labels);
        assertEquals(3, data.size());
        assertEquals(4, data.featureCount());
        assertEquals(10, data.classCount());
        assertEquals(9, data.label(2));
        assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 1}, data.labelHistogram());
    }

    @Test
    void refusesWrongMagic() {
        IOException e = assertThrows(IOException.class, () -> Mnist.readImages(IdxFiles.labels(Mnist.LABEL_MAGIC, (byte) 1)));
        assertTrue(e.getMessage().contains("dimensions"), e.getMessage());
        e = assertThrows(IOException.class, () -> Mnist.readImages(IdxFiles.images(0x00000D03, 1, 1, 1, 1)));
        assertTrue(e.getMessage().contains("magic 0x00000D03"), e.getMessage());
        e = assertThrows(IOException.class, () -> Mnist.readLabels(IdxFiles.labels(0x12340801, (byte) 1)));
        assertTrue(e.getMessage().contains("not an IDX label file"), e.getMessage());
    }

    @Test
    void refusesWrongDimensionCount() {
        IOException e = assertThrows(IOException.class, () -> Mnist.readImages(IdxFiles.images(0x00000802, 1, 1, 1, 1)));
        assertTrue(e.getMessage().contains("has 2 dimensions"), e.getMessage());
        e = assertThrows(IOException.class, () -> Mnist.readLabels(IdxFiles.labels(0x00000803, (byte) 1)));
        assertTrue(e.getMessage().contains("has 3 dimensions"), e.getMessage());
    }

    @Test
    void refusesSizesThatDoNotMatchTheFile() {
        IOException e = assertThrows(IOException.class, () -> Mnist.readImages(IdxFiles.images(Mnist.IMAGE_MAGIC, 2, 2, 2, 7)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(IOException.class, () -> Mnist.readImages(IdxFiles.images(Mnist.IMAGE_MAGIC, 2, 2, 2, 9)));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        byte[] labels = IdxFiles.labels(Mnist.LABEL_MAGIC, (byte) 1, (byte) 2);
        e = assertThrows(IOException.class, () -> Mnist.readLabels(Arrays.copyOf(labels, labels.length - 1)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(IOException.class, () -> Mnist.readImages(new byte[] {0, 0, 8}));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        e = assertThrows(IOException.class, () -> Mnist.readImages(Arrays.copyOf(IdxFiles.images(1, 1, 1), 10)));
        assertTrue(e.getMessage().contains("inside its header"), e.getMessage());
    }

    @Test
    void refusesDimensionsBeyondTheLimits() {
        IOException e = assertThrows(IOException.class, () -> Mnist.readImages(IdxFiles.images(Mnist.IMAGE_MAGIC, 1, 65, 1, 65)));
        assertTrue(e.getMessage().contains("image rows is 65"), e.getMessage());
        e = assertThrows(IOException.class, () -> Mnist.readImages(IdxFiles.images(Mnist.IMAGE_MAGIC, 0, 1, 1, 0)));
        assertTrue(e.getMessage().contains("image count is 0"), e.getMessage());
        // 0xFFFFFFFF is read unsigned, never as -1
        e = assertThrows(IOException.class, () -> Mnist.readImages(IdxFiles.images(Mnist.IMAGE_MAGIC, -1, 28, 28, 0)));
        assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
        e = assertThrows(IOException.class, () -> Mnist.readImages(IdxFiles.images(Mnist.IMAGE_MAGIC, 1_000_000, 64, 64, 0)));
        assertTrue(e.getMessage().contains("pixels"), e.getMessage());
    }

    @Test
    void refusesLabelsOutsideDigits() {
        IOException e = assertThrows(IOException.class, () -> Mnist.readLabels(IdxFiles.labels(Mnist.LABEL_MAGIC, (byte) 3, (byte) 10)));
        assertTrue(e.getMessage().contains("label 1 is 10"), e.getMessage());
        assertThrows(IOException.class, () -> Mnist.readLabels(IdxFiles.labels(Mnist.LABEL_MAGIC, (byte) 0xFF)));
    }

    @Test
    void refusesImageLabelCountMismatch(@TempDir Path dir) throws IOException {
        Path images = dir.resolve("i");
        Path labels = dir.resolve("l");
        Files.write(images, IdxFiles.images(3, 2, 2));
        Files.write(labels, IdxFiles.labels(Mnist.LABEL_MAGIC, (byte) 7, (byte) 0));
        IOException e = assertThrows(IOException.class, () -> Mnist.load(images, labels));
        assertTrue(e.getMessage().contains("3 images but 2 labels"), e.getMessage());
    }
}
