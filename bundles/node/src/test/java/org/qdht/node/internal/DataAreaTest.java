package org.qdht.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataAreaTest {
    @TempDir
    Path root;

    @Test
    void reopeningKeepsCreationTimeAndCountsStarts() throws Exception {
        DataArea first = DataArea.open(root, "alpha");
        Files.writeString(first.directory().resolve("keep.me"), "records");
        DataArea second = DataArea.open(root, "alpha");
        assertEquals(first.createdAt(), second.createdAt());
        assertEquals(1, first.starts());
        assertEquals(2, second.starts());
        assertEquals("records", Files.readString(second.directory().resolve("keep.me")));
        assertFalse(Files.exists(second.directory().resolve(DataArea.STATE_FILE + ".tmp")));
    }

    @Test
    void renameMovesTheDataAndRefusesToMergeIntoAnotherNode() throws Exception {
        DataArea alpha = DataArea.open(root, "alpha");
        Files.writeString(alpha.directory().resolve("keep.me"), "records");
        DataArea.open(root, "beta");
        IOException clash = assertThrows(IOException.class, () -> alpha.renameTo("beta"));
        assertTrue(clash.getMessage().contains("already exists"), clash.getMessage());
        DataArea gamma = alpha.renameTo("gamma");
        assertEquals(root.resolve("gamma"), gamma.directory());
        assertEquals("records", Files.readString(gamma.directory().resolve("keep.me")));
        assertFalse(Files.exists(root.resolve("alpha")));
    }

    @Test
    void damagedStateFileIsReportedNotOverwritten() throws Exception {
        Files.createDirectories(root.resolve("alpha"));
        Files.writeString(root.resolve("alpha").resolve(DataArea.STATE_FILE), "created=yesterday\n");
        IOException e = assertThrows(IOException.class, () -> DataArea.open(root, "alpha"));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        assertEquals("created=yesterday\n", Files.readString(root.resolve("alpha").resolve(DataArea.STATE_FILE)));
    }
}
