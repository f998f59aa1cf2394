package org.qdht.onion.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A node's mailbox key: the KEM key pair mailbox entries are encrypted to. It must outlive restarts
 * (a phone collects after it was off), so it is kept in a file of the onion bundle's data area,
 * one per node and suite, readable by the owner only, like the node's identity key. A damaged file
 * is moved aside and a new key made: entries sealed to the old key are then lost, which is said
 * in the log. Thread safe (stateless).
 */
final class MailboxKeys {
    private static final int VERSION = 1;

    private MailboxKeys() {
    }

    /** @return the key pair in {@code file}, or a new one written there first */
    static KeyPair loadOrCreate(Path file, CryptoSuite suite, org.osgi.service.log.Logger log) throws IOException {
        if (Files.exists(file)) {
            try {
                return read(Files.readAllBytes(file), suite);
            } catch (WireFormatException | CryptoException | RuntimeException e) {
                Path aside = file.resolveSibling(file.getFileName() + ".damaged");
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                log.error("mailbox key {} cannot be read ({}); kept as {}, a new key is made and entries sealed to the old one are lost",
                        file, e.getMessage(), aside);
            }
        }
        KeyPair created = suite.kem().generateKeyPair();
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(temporary, write(created));
            restrict(temporary);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (CryptoException e) {
            throw new IOException("the new mailbox key cannot be written: " + e.getMessage(), e);
        }
        return created;
    }

    private static byte[] write(KeyPair key) throws CryptoException {
        WireWriter out = new WireWriter(8_192);
        out.u8(VERSION);
        key.publicKey().writeTo(out);
        out.bytes(key.secretKey().copy(), SecretBytes.MAX_LENGTH);
        return out.toByteArray();
    }

    private static KeyPair read(byte[] bytes, CryptoSuite suite) throws WireFormatException, CryptoException {
        WireReader in = new WireReader(bytes);
        if (in.u8("mailbox key version") != VERSION) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, 0, "unknown mailbox key file version");
        }
        EncodedPublicKey publicKey = EncodedPublicKey.readFrom(in);
        byte[] secret = in.bytes(SecretBytes.MAX_LENGTH, "mailbox secret key");
        in.expectEnd("mailbox key file");
        if (!publicKey.suite().equals(suite.id())) {
            throw new CryptoException(CryptoException.Reason.SUITE_MISMATCH, "the mailbox key belongs to suite " + publicKey.suite());
        }
        return new KeyPair(publicKey, SecretBytes.wrap(secret));
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the data area's own protection applies
        }
    }
}
