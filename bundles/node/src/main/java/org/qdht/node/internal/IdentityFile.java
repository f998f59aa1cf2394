package org.qdht.node.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * One identity key on disk: {@code identity/<suite code>.key} in the node's data directory. With a
 * passphrase the secret part is sealed with AES-256-GCM under a key stretched from it by
 * PBKDF2-HMAC-SHA-256; without one it is stored plain (owner-only file permissions), which the
 * node says in its log and status. Written atomically; a file that does not decode or authenticate
 * is reported, never overwritten.
 */
final class IdentityFile {
    private static final byte[] MAGIC = "qdht-identity".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int PBKDF2_ITERATIONS = 210_000;
    private static final int MAX_FILE = 200_000;

    /** What a key file holds. */
    record Stored(KeyPair keyPair, long puzzleNonce, int puzzleDifficulty, long createdMillis) {
    }

    private IdentityFile() {
    }

    static Path pathOf(Path dataDirectory, SuiteId suite) {
        return dataDirectory.resolve("identity").resolve(String.format("%04x.key", suite.code()));
    }

    static void write(Path file, Stored stored, char[] passphrase, SecureRandom random) throws IOException, CryptoException {
        WireWriter secret = new WireWriter();
        byte[] sk = stored.keyPair().secretKey().copy();
        secret.bytes(sk, SecretBytes.MAX_LENGTH);
        Arrays.fill(sk, (byte) 0);
        WireWriter out = new WireWriter();
        out.raw(MAGIC).u8(VERSION);
        stored.keyPair().publicKey().writeTo(out);
        out.i64(stored.puzzleNonce()).u8(stored.puzzleDifficulty()).i64(stored.createdMillis());
        boolean encrypted = passphrase.length > 0;
        out.bool(encrypted);
        byte[] plain = secret.toByteArray();
        try {
            if (encrypted) {
                byte[] salt = new byte[16];
                byte[] iv = new byte[12];
                random.nextBytes(salt);
                random.nextBytes(iv);
                out.fixed(salt, 16).fixed(iv, 12);
                try {
                    out.bytes(seal(Cipher.ENCRYPT_MODE, passphrase, salt, iv, plain), MAX_FILE);
                } catch (GeneralSecurityException e) {
                    throw new IOException("cannot encrypt the identity key: " + e.getMessage(), e);
                }
            } else {
                out.bytes(plain, MAX_FILE);
            }
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out.toByteArray());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * @throws IOException naming the file when it is damaged, of another format, or cannot be
     *         decrypted with {@code passphrase} (wrong passphrase, or tampered)
     */
    static Stored read(Path file, char[] passphrase) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > MAX_FILE) {
            throw new IOException("identity file " + file + " is too large to be one");
        }
        try {
            WireReader in = new WireReader(bytes);
            if (!Arrays.equals(in.fixed(MAGIC.length, "magic"), MAGIC) || in.u8("version") != VERSION) {
                throw new IOException("identity file " + file + " is not a qDHT identity of version " + VERSION);
            }
            EncodedPublicKey publicKey = EncodedPublicKey.readFrom(in);
            long nonce = in.i64("puzzle nonce");
            int difficulty = in.u8("puzzle difficulty");
            long created = in.i64("created");
            boolean encrypted = in.bool("encrypted");
            byte[] plain;
            if (encrypted) {
                if (passphrase.length == 0) {
                    throw new IOException("identity file " + file + " is encrypted: set the node's identityPassphrase");
                }
                byte[] salt = in.fixed(16, "salt");
                byte[] iv = in.fixed(12, "iv");
                plain = seal(Cipher.DECRYPT_MODE, passphrase, salt, iv, in.bytes(MAX_FILE, "sealed key"));
            } else {
                plain = in.bytes(MAX_FILE, "key");
            }
            in.expectEnd("identity file");
            WireReader secret = new WireReader(plain);
            byte[] sk = secret.bytes(SecretBytes.MAX_LENGTH, "secret key");
            Arrays.fill(plain, (byte) 0);
            return new Stored(new KeyPair(publicKey, SecretBytes.wrap(sk)), nonce, difficulty, created);
        } catch (WireFormatException e) {
            throw new IOException("identity file " + file + " is damaged: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IOException("identity file " + file + " cannot be decrypted: wrong identityPassphrase, or the file was altered", e);
        }
    }

    private static byte[] seal(int mode, char[] passphrase, byte[] salt, byte[] iv, byte[] input)
            throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, PBKDF2_ITERATIONS, 256);
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        spec.clearPassword();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(MAGIC);
            return cipher.doFinal(input);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
