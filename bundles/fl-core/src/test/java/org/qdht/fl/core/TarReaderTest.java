package org.qdht.fl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarReaderTest {
    /** A ustar archive of the given (name, content) pairs, written as npm does. */
    static byte[] tar(Object... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < entries.length; i += 2) {
            byte[] content = (byte[]) entries[i + 1];
            byte[] h = new byte[512];
            put(h, 0, (String) entries[i]);
            put(h, 100, "0000644");
            put(h, 124, String.format("%011o", content.length));
            put(h, 136, "00000000000");
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xFF;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(content);
            out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    @Test
    void extractsOnlyTheNamedEntries(@TempDir Path dir) throws IOException {
        byte[] a = "first".getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[1500];
        Arrays.fill(b, (byte) 7);
        byte[] archive = tar("package/README.md", a, "package/data/b", b, "package/data/c", new byte[0]);
        new TarReader(10_000).extract(new ByteArrayInputStream(archive), Map.of("package/data/b", dir.resolve("b"),
                "package/data/c", dir.resolve("c")));
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("b")));
        assertEquals(0, Files.size(dir.resolve("c")));
        assertFalse(Files.exists(dir.resolve("README.md")));
        try (var listing = Files.list(dir)) {
            assertEquals(2, listing.count(), "no partial files are left behind");
        }
    }

    @Test
    void refusesEntriesAboveTheLimit(@TempDir Path dir) {
        byte[] archive = tar("package/data/b", new byte[2000]);
        IOException e = assertThrows(IOException.class, () -> new TarReader(1999).extract(new ByteArrayInputStream(archive),
                Map.of("package/data/b", dir.resolve("b"))));
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
    }

    @Test
    void refusesMissingEntriesTruncationAndBadChecksums(@TempDir Path dir) {
        byte[] archive = tar("package/data/b", new byte[2000]);
        Map<String, Path> wanted = Map.of("package/data/b", dir.resolve("b"));
        IOException missing = assertThrows(IOException.class, () -> new TarReader(1 << 20).extract(
                new ByteArrayInputStream(archive), Map.of("package/data/x", dir.resolve("x"))));
        assertTrue(missing.getMessage().contains("lacks"), missing.getMessage());
        assertThrows(IOException.class, () -> new TarReader(1 << 20).extract(
                new ByteArrayInputStream(Arrays.copyOf(archive, 1500)), wanted));
        assertFalse(Files.exists(dir.resolve("b.part")));
        byte[] damaged = archive.clone();
        damaged[3] ^= 1;
        IOException checksum = assertThrows(IOException.class, () -> new TarReader(1 << 20).extract(
                new ByteArrayInputStream(damaged), wanted));
        assertTrue(checksum.getMessage().contains("checksum"), checksum.getMessage());
    }
}
