package org.qdht.node.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Properties;

/**
 * A node's directory in the node bundle's data area, and the small state file in it
 * ({@value #STATE_FILE}: when the node was created, how often it started). Later bundles keep the
 * node's keys and records here. The directory is never deleted by the node: removing a node's
 * configuration stops the node and keeps its data, so re-creating it brings its state back.
 */
final class DataArea {
    static final String STATE_FILE = "node.properties";

    private final Path directory;
    private final Instant createdAt;
    private final long starts;

    private DataArea(Path directory, Instant createdAt, long starts) {
        this.directory = directory;
        this.createdAt = createdAt;
        this.starts = starts;
    }

    /** Opens (creating if needed) the area of node {@code name} under {@code root} and records one more start. */
    static DataArea open(Path root, String name) throws IOException {
        Path directory = root.resolve(name);
        Files.createDirectories(directory);
        Properties state = read(directory.resolve(STATE_FILE));
        Instant created = Instant.ofEpochMilli(Long.parseLong(state.getProperty("created", Long.toString(System.currentTimeMillis()))));
        long starts = Long.parseLong(state.getProperty("starts", "0")) + 1;
        state.setProperty("name", name);
        state.setProperty("created", Long.toString(created.toEpochMilli()));
        state.setProperty("starts", Long.toString(starts));
        state.setProperty("lastStart", Long.toString(System.currentTimeMillis()));
        writeAtomically(directory.resolve(STATE_FILE), state);
        return new DataArea(directory, created, starts);
    }

    /**
     * Moves the area to the directory of {@code newName}, for a node renamed in its configuration.
     *
     * @throws IOException if the target exists (another node's data would be mixed in) or the move fails
     */
    DataArea renameTo(String newName) throws IOException {
        Path target = directory.resolveSibling(newName);
        if (Files.exists(target)) {
            throw new IOException("cannot rename node data to " + target + ": that directory already exists");
        }
        Files.move(directory, target, StandardCopyOption.ATOMIC_MOVE);
        return open(target.getParent(), newName);
    }

    Path directory() {
        return directory;
    }

    Instant createdAt() {
        return createdAt;
    }

    long starts() {
        return starts;
    }

    private static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IllegalArgumentException e) {
                throw new IOException("node state file " + file + " is damaged: " + e.getMessage(), e);
            }
            try {
                Long.parseLong(p.getProperty("created", "0"));
                Long.parseLong(p.getProperty("starts", "0"));
            } catch (NumberFormatException e) {
                throw new IOException("node state file " + file + " is damaged: " + e.getMessage(), e);
            }
        }
        return p;
    }

    /** Writes to a temporary file and renames it, so a crash never leaves a half-written state file. */
    private static void writeAtomically(Path file, Properties p) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "qDHT node state");
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
