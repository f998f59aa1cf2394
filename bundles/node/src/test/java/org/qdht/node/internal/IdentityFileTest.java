package org.qdht.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SecretBytes;

class IdentityFileTest {
    @TempDir
    Path dir;

    static final byte[] SECRET = "thirty-two bytes of secret seed!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static IdentityFile.Stored stored() {
        EncodedPublicKey pk = EncodedPublicKey.of(SuiteId.XWING_MLDSA65, KeyPurpose.SIGNATURE, new byte[1952]);
        return new IdentityFile.Stored(new KeyPair(pk, SecretBytes.copyOf(SECRET)), 4242L, 16, 1_700_000_000_000L);
    }

    @Test
    void plainFileRoundTripsAndIsOwnerOnly() throws Exception {
        Path file = IdentityFile.pathOf(dir, SuiteId.XWING_MLDSA65);
        assertEquals("0001.key", file.getFileName().toString());
        IdentityFile.write(file, stored(), new char[0], new SecureRandom());
        IdentityFile.Stored back = IdentityFile.read(file, new char[0]);
        assertArrayEquals(SECRET, back.keyPair().secretKey().copy());
        assertEquals(stored().keyPair().publicKey(), back.keyPair().publicKey());
        assertEquals(4242L, back.puzzleNonce());
        assertEquals(16, back.puzzleDifficulty());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void encryptedFileNeedsTheRightPassphraseAndHidesTheSecret() throws Exception {
        Path file = IdentityFile.pathOf(dir, SuiteId.XWING_MLDSA65);
        IdentityFile.write(file, stored(), "correct horse".toCharArray(), new SecureRandom());
        byte[] onDisk = Files.readAllBytes(file);
        assertFalse(new String(onDisk, java.nio.charset.StandardCharsets.ISO_8859_1).contains("thirty-two bytes"));
        assertArrayEquals(SECRET, IdentityFile.read(file, "correct horse".toCharArray()).keyPair().secretKey().copy());
        IOException wrong = assertThrows(IOException.class, () -> IdentityFile.read(file, "battery staple".toCharArray()));
        assertTrue(wrong.getMessage().contains("wrong identityPassphrase"), wrong.getMessage());
        IOException none = assertThrows(IOException.class, () -> IdentityFile.read(file, new char[0]));
        assertTrue(none.getMessage().contains("is encrypted"), none.getMessage());
    }

    @Test
    void tamperedOrTruncatedFilesAreReportedNotLoaded() throws Exception {
        Path file = IdentityFile.pathOf(dir, SuiteId.XWING_MLDSA65);
        IdentityFile.write(file, stored(), "pw".toCharArray(), new SecureRandom());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] ^= 1;
        Files.write(file, bytes);
        assertThrows(IOException.class, () -> IdentityFile.read(file, "pw".toCharArray()));
        Files.write(file, java.util.Arrays.copyOf(bytes, 40));
        IOException e = assertThrows(IOException.class, () -> IdentityFile.read(file, "pw".toCharArray()));
        assertTrue(e.getMessage().contains("damaged") || e.getMessage().contains("not a qDHT identity"), e.getMessage());
    }
}
