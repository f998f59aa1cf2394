package org.qdht.fl.core;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Extracts chosen regular files from a POSIX (ustar) tar stream, as npm writes them. Only the
 * entries asked for are written, each to a target path the caller chose, so names in the archive
 * can never point outside the cache. Header checksums, entry sizes and the number of entries are
 * checked, so a damaged or hostile archive ends with an {@link IOException} rather than a full disk.
 */
public final class TarReader {
    private static final int BLOCK = 512;
    /** npm tarballs hold a few dozen entries; far more means it is not the package we expect. */
    public static final int MAX_ENTRIES = 10_000;

    private final long maxEntrySize;

    /** @param maxEntrySize largest entry accepted, in bytes */
    public TarReader(long maxEntrySize) {
        if (maxEntrySize < 1) {
            throw new IllegalArgumentException("maximum entry size must be positive, got " + maxEntrySize);
        }
        this.maxEntrySize = maxEntrySize;
    }

    /**
     * Writes each entry named in {@code targets} (archive name to file) to its file, through a
     * temporary file in the same directory. Fails if any named entry is missing.
     */
    public void extract(InputStream tar, Map<String, Path> targets) throws IOException {
        Map<String, Path> pending = new HashMap<>(targets);
        byte[] header = new byte[BLOCK];
        for (int entries = 0; ; entries++) {
            if (entries > MAX_ENTRIES) {
                throw new IOException("tar archive has more than " + MAX_ENTRIES + " entries");
            }
            if (!readBlock(tar, header)) {
                break;
            }
            if (isZero(header)) {
                break;
            }
            checkChecksum(header);
            String name = name(header);
            long size = octal(header, 124, 12, "size of " + name);
            if (size > maxEntrySize) {
                throw new IOException("tar entry " + name + " has " + size + " bytes, more than the limit " + maxEntrySize);
            }
            char type = (char) header[156];
            Path target = (type == '0' || type == 0) ? pending.remove(name) : null;
            if (target != null) {
                copyEntry(tar, size, target);
            } else {
                skip(tar, size);
            }
            skip(tar, padding(size));
        }
        if (!pending.isEmpty()) {
            throw new IOException("tar archive lacks " + pending.keySet());
        }
    }

    private static void copyEntry(InputStream tar, long size, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(part)) {
            byte[] buffer = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("tar archive ends inside entry " + target.getFileName());
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false; // some writers omit the two zero blocks at the end
        }
        if (read < BLOCK) {
            throw new EOFException("tar archive ends inside a header (" + read + " of " + BLOCK + " bytes)");
        }
        return true;
    }

    private static void skip(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar archive ends inside an entry");
                }
                n = 1;
            }
            left -= n;
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String name(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = field(header, 257, 6).startsWith("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length, String what) throws IOException {
        String text = field(header, offset, length).trim();
        if (text.isEmpty() || text.length() > 11 || !text.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw new IOException("tar header field '" + what + "' is not an octal number: '" + text + "'");
        }
        return Long.parseLong(text, 8);
    }

    private static void checkChecksum(byte[] header) throws IOException {
        long stored = octal(header, 148, 8, "checksum");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xFF);
        }
        if (sum != stored) {
            throw new IOException("tar header checksum " + stored + " does not match the header (" + sum + ")");
        }
    }
}
