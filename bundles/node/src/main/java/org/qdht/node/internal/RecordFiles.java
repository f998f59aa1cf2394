package org.qdht.node.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * The records of one node on disk: {@code records/<key hex>.rec}, each a header (magic, format
 * version) and the {@link PublishedRecord#writeTo} bytes. One file per record so that a store or a
 * delete touches one small file, never the whole set. Files are replaced atomically (temporary file,
 * then an atomic rename), so a crash leaves the old record or the new one, never half of one. A file
 * that cannot be used is moved to {@code records/rejected/}, never deleted: it may be the only copy
 * of someone's data, or evidence of a bug.
 */
final class RecordFiles {
    static final String DIRECTORY = "records";
    static final String REJECTED = "rejected";
    static final String SUFFIX = ".rec";
    private static final String TEMPORARY = ".tmp";
    private static final byte[] MAGIC = "qdht-record".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int MAX_FILE = MAGIC.length + 1 + PublishedRecord.MAX_ENCODED_SIZE;

    /** What {@link #load} found: the usable records, and how many files it set aside. */
    record Loaded(List<PublishedRecord> records, int damaged, int expired) {
    }

    private final Path directory;

    RecordFiles(Path directory) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory);
    }

    Path directory() {
        return directory;
    }

    /** Writes {@code record} as the file of its key, replacing an earlier version atomically. */
    void write(PublishedRecord record) throws IOException {
        WireWriter out = new WireWriter(record.record().valueSize() + 4_096);
        out.raw(MAGIC).u8(VERSION);
        record.writeTo(out);
        Path file = fileOf(record.record().key());
        Path tmp = file.resolveSibling(file.getFileName() + TEMPORARY);
        try {
            Files.write(tmp, out.toByteArray());
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Deletes the file of {@code key}, if any. */
    void delete(DhtKey key) throws IOException {
        Files.deleteIfExists(fileOf(key));
    }

    /**
     * Reads every record file. Files that do not decode, hold another key than their name says, or
     * hold a record expired at {@code nowMillis} are moved to {@code rejected/}; damaged ones are
     * reported one by one through {@code warn}, expired ones in one line (after a long downtime there
     * may be thousands). Leftover temporary files are writes that never completed: the record they
     * were to replace is intact, so they are deleted.
     */
    Loaded load(long nowMillis, Consumer<String> warn) throws IOException {
        List<PublishedRecord> records = new ArrayList<>();
        int damaged = 0;
        int expired = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMPORARY)) {
                    Files.deleteIfExists(file);
                    continue;
                }
                if (!name.endsWith(SUFFIX) || !Files.isRegularFile(file)) {
                    continue;
                }
                PublishedRecord record;
                try {
                    record = read(file);
                } catch (IOException e) {
                    damaged++;
                    warn.accept(e.getMessage() + "; moved to " + reject(file));
                    continue;
                }
                if (record.record().isExpired(nowMillis)) {
                    expired++;
                    reject(file);
                    continue;
                }
                records.add(record);
            }
        }
        if (expired > 0) {
            warn.accept(expired + " record file(s) in " + directory + " had expired while the node was down; moved to "
                    + directory.resolve(REJECTED));
        }
        return new Loaded(records, damaged, expired);
    }

    private PublishedRecord read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException("record file " + file + " is too large to be one");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            WireReader in = new WireReader(bytes);
            if (in.remaining() < MAGIC.length + 1 || !Arrays.equals(in.fixed(MAGIC.length, "magic"), MAGIC)
                    || in.u8("format version") != VERSION) {
                throw new IOException("record file " + file + " is not a qDHT record of format version " + VERSION);
            }
            PublishedRecord record = PublishedRecord.readFrom(in);
            in.expectEnd("record file");
            if (!file.getFileName().toString().equals(nameOf(record.record().key()))) {
                // a copied or renamed file would otherwise shadow the record its name promises
                throw new IOException("record file " + file + " holds the record of key " + record.record().key().toHex());
            }
            return record;
        } catch (WireFormatException | IllegalArgumentException e) {
            throw new IOException("record file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Moves {@code file} into {@code rejected/} under a name not yet used there, and returns the new path. */
    private Path reject(Path file) throws IOException {
        Path rejected = Files.createDirectories(directory.resolve(REJECTED));
        String name = file.getFileName().toString();
        Path target = rejected.resolve(name);
        for (int n = 1; Files.exists(target); n++) {
            target = rejected.resolve(name + "." + n);
        }
        Files.move(file, target);
        return target;
    }

    private Path fileOf(DhtKey key) {
        return directory.resolve(nameOf(key));
    }

    static String nameOf(DhtKey key) {
        return key.toHex() + SUFFIX;
    }
}
