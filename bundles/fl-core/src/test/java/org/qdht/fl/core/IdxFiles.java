package org.qdht.fl.core;

import java.nio.ByteBuffer;

/** Writes small IDX files for the reader's tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    static byte[] images(int magic, int count, int rows, int columns, int pixelBytes) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixelBytes);
        b.putInt(magic).putInt(count).putInt(rows).putInt(columns);
        for (int i = 0; i < pixelBytes; i++) {
            b.put((byte) (i * 37));
        }
        return b.array();
    }

    static byte[] images(int count, int rows, int columns) {
        return images(Mnist.IMAGE_MAGIC, count, rows, columns, count * rows * columns);
    }

    static byte[] labels(int magic, byte... labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(labels.length).put(labels).array();
    }
}
