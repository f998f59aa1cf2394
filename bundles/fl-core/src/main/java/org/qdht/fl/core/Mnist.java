package org.qdht.fl.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads MNIST from the IDX files of LeCun et al.: images {@code 0x00000803} (unsigned bytes, three
 * dimensions: count, rows, columns) and labels {@code 0x00000801} (one dimension: count). Every
 * header field is checked against limits before anything is allocated, and the file length must
 * match the header exactly, so a truncated download or a file of another kind is refused with a
 * message that names the problem. Pixels are scaled from 0-255 to [0, 1].
 */
public final class Mnist {
    public static final int IMAGE_MAGIC = 0x00000803;
    public static final int LABEL_MAGIC = 0x00000801;
    /** MNIST has 60,000 training images; EMNIST-sized sets would still fit. */
    public static final int MAX_EXAMPLES = 1_000_000;
    /** MNIST images are 28x28; larger sides are refused so that a header cannot ask for gigabytes. */
    public static final int MAX_SIDE = 64;
    /** 2^26 pixels (256 MiB as floats): MNIST's training set has 47 million. */
    public static final long MAX_PIXELS = 1L << 26;
    public static final int CLASSES = 10;
    private static final int UNSIGNED_BYTE = 0x08;

    private Mnist() {
    }

    /** Images as read from an IDX file: {@code count * rows * columns} pixels in [0, 1]. */
    public record Images(int count, int rows, int columns, float[] pixels) {
    }

    /** Reads and checks an image file and a label file into one data set. */
    public static Dataset load(Path images, Path labels) throws IOException {
        return dataset(readImages(readBounded(images, 16L + MAX_PIXELS)),
                readLabels(readBounded(labels, 8L + MAX_EXAMPLES)));
    }

    /** Joins images and labels; they must be equally many. */
    public static Dataset dataset(Images images, byte[] labels) throws IOException {
        if (images.count() != labels.length) {
            throw new IOException("IDX files disagree: " + images.count() + " images but " + labels.length + " labels");
        }
        return new Dataset(images.pixels(), labels, images.rows() * images.columns(), CLASSES);
    }

    /** Parses an IDX image file. */
    public static Images readImages(byte[] idx) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(idx);
        int dims = header(in, IMAGE_MAGIC, 3, "image");
        long count = dimension(in, "image count", MAX_EXAMPLES);
        long rows = dimension(in, "image rows", MAX_SIDE);
        long columns = dimension(in, "image columns", MAX_SIDE);
        if (count * rows * columns > MAX_PIXELS) {
            throw new IOException("IDX image file describes " + count * rows * columns + " pixels, more than " + MAX_PIXELS);
        }
        long expected = 4L + 4L * dims + count * rows * columns;
        requireLength(idx, expected, "image");
        float[] pixels = new float[(int) (count * rows * columns)];
        int at = in.position();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (idx[at + i] & 0xFF) / 255f;
        }
        return new Images((int) count, (int) rows, (int) columns, pixels);
    }

    /** Parses an IDX label file; every label must be a digit 0-9. */
    public static byte[] readLabels(byte[] idx) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(idx);
        int dims = header(in, LABEL_MAGIC, 1, "label");
        long count = dimension(in, "label count", MAX_EXAMPLES);
        requireLength(idx, 4L + 4L * dims + count, "label");
        byte[] labels = new byte[(int) count];
        in.get(labels);
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= CLASSES) {
                throw new IOException("IDX label " + i + " is " + (labels[i] & 0xFF) + ", not a digit 0-9");
            }
        }
        return labels;
    }

    private static int header(ByteBuffer in, int magic, int dims, String kind) throws IOException {
        if (in.remaining() < 4) {
            throw new IOException("IDX " + kind + " file too short for its magic number: " + in.remaining() + " bytes");
        }
        int found = in.getInt();
        if ((found >>> 16) != 0 || ((found >>> 8) & 0xFF) != UNSIGNED_BYTE) {
            throw new IOException(String.format("not an IDX %s file of unsigned bytes: magic 0x%08X, expected 0x%08X",
                    kind, found, magic));
        }
        if ((found & 0xFF) != dims) {
            throw new IOException(String.format("IDX %s file has %d dimensions (magic 0x%08X), expected %d (0x%08X)",
                    kind, found & 0xFF, found, dims, magic));
        }
        if (in.remaining() < 4 * dims) {
            throw new IOException("IDX " + kind + " file ends inside its header of " + dims + " dimensions");
        }
        return dims;
    }

    private static long dimension(ByteBuffer in, String name, int max) throws IOException {
        long value = in.getInt() & 0xFFFFFFFFL;
        if (value < 1 || value > max) {
            throw new IOException("IDX " + name + " is " + value + ", allowed 1-" + max);
        }
        return value;
    }

    private static void requireLength(byte[] idx, long expected, String kind) throws IOException {
        if (idx.length != expected) {
            throw new IOException("IDX " + kind + " file has " + idx.length + " bytes but its header describes "
                    + expected + (idx.length < expected ? " (truncated)" : " (trailing bytes)"));
        }
    }

    private static byte[] readBounded(Path file, long max) throws IOException {
        long size = Files.size(file);
        if (size > max) {
            throw new IOException(file + " has " + size + " bytes, more than an IDX file within the limits (" + max + ")");
        }
        return Files.readAllBytes(file);
    }
}
