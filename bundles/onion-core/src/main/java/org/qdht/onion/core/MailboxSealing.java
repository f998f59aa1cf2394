package org.qdht.onion.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.Record;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * Mailbox addresses and entries. An entry for a recipient lives in the DHT under a slot address
 * derived from the recipient's mailbox key, the mailbox epoch and a slot number, so addresses
 * change every epoch and name no NodeId. The entry is encrypted to the recipient's mailbox KEM key
 * (a fresh encapsulation per entry, an AEAD key derived from it and bound to the address), so
 * storers and exits see an opaque blob of ciphertext.
 *
 * <pre>
 *   address = SHA-256("qdht/mailbox/v1" || recipient mailbox KeyId (16) || epoch i64 || slot u16)
 *   entry   = version u8 (1) | KemCiphertext | AEAD( key = HKDF(ss, salt "qdht/mailbox/v1", info address),
 *             nonce 0, ad = address, plaintext = id (16) | deposited i64 | expires i64 | sealed bytes )
 * </pre>
 *
 * The AEAD key is used for one message only, so a fixed nonce is safe. Thread safe (stateless).
 */
public final class MailboxSealing {
    public static final int VERSION = 1;
    public static final int ENTRY_ID_LENGTH = 16;
    /** Slots per recipient and epoch: depositors take the first free one. */
    public static final int SLOTS = 64;
    private static final byte[] LABEL = "qdht/mailbox/v1".getBytes(StandardCharsets.US_ASCII);

    /** An entry as the recipient reads it back. */
    public record Opened(byte[] id, Instant depositedAt, Instant expiresAt, byte[] sealed) {
    }

    private MailboxSealing() {
    }

    /** The DHT key of {@code slot} of the mailbox of {@code mailboxKey} in {@code epoch}. */
    public static DhtKey address(CryptoSuite suite, EncodedPublicKey mailboxKey, long epoch, int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot must be 0-" + (SLOTS - 1) + ", got " + slot);
        }
        ByteBuffer input = ByteBuffer.allocate(LABEL.length + 16 + 8 + 2);
        input.put(LABEL).put(mailboxKey.keyId().bytes()).putLong(epoch).putShort((short) slot);
        try {
            return DhtKey.of(java.security.MessageDigest.getInstance("SHA-256").digest(input.array()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Encrypts an entry for the owner of {@code mailboxKey}, to be stored at {@code address}. */
    public static byte[] seal(CryptoSuite suite, EncodedPublicKey mailboxKey, DhtKey address, byte[] id, Instant depositedAt,
            Instant expiresAt, byte[] sealed) throws CryptoException {
        if (id.length != ENTRY_ID_LENGTH) {
            throw new IllegalArgumentException("entry id must be " + ENTRY_ID_LENGTH + " bytes");
        }
        WireWriter plain = new WireWriter(sealed.length + 64);
        plain.raw(id).i64(depositedAt.toEpochMilli()).i64(expiresAt.toEpochMilli()).bytes(sealed, Record.MAX_VALUE_SIZE);
        try (Encapsulation e = suite.kem().encapsulate(mailboxKey)) {
            byte[] box;
            try (SecretBytes key = entryKey(suite, e.sharedSecret(), address)) {
                box = suite.aead().seal(key, nonce(suite), address.bytes(), plain.toByteArray());
            }
            WireWriter out = new WireWriter(box.length + 1_200);
            out.u8(VERSION);
            e.ciphertext().writeTo(out);
            out.bytes(box, Record.MAX_VALUE_SIZE);
            return out.toByteArray();
        }
    }

    /**
     * Decrypts an entry found at {@code address} with the mailbox key pair.
     *
     * @return empty for anything that is not an entry for this key at this address (malformed,
     *         another key, a failed AEAD tag): a mailbox slot may hold garbage from anyone
     */
    public static Optional<Opened> open(CryptoSuite suite, KeyPair mailboxKey, DhtKey address, byte[] entry) {
        try {
            WireReader in = new WireReader(entry);
            if (in.u8("mailbox entry version") != VERSION) {
                return Optional.empty();
            }
            KemCiphertext ct = KemCiphertext.readFrom(in);
            byte[] box = in.bytes(Record.MAX_VALUE_SIZE, "mailbox entry");
            in.expectEnd("mailbox entry");
            if (!ct.recipientKey().equals(mailboxKey.publicKey().keyId())) {
                return Optional.empty();
            }
            byte[] plain;
            try (SecretBytes ss = suite.kem().decapsulate(mailboxKey, ct); SecretBytes key = entryKey(suite, ss, address)) {
                plain = suite.aead().open(key, nonce(suite), address.bytes(), box);
            }
            WireReader p = new WireReader(plain);
            byte[] id = p.fixed(ENTRY_ID_LENGTH, "entry id");
            Instant deposited = Instant.ofEpochMilli(p.i64("deposited"));
            Instant expires = Instant.ofEpochMilli(p.i64("expires"));
            byte[] sealed = p.bytes(Record.MAX_VALUE_SIZE, "sealed content");
            p.expectEnd("mailbox entry content");
            return Optional.of(new Opened(id, deposited, expires, sealed));
        } catch (CryptoException | WireFormatException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static SecretBytes entryKey(CryptoSuite suite, SecretBytes sharedSecret, DhtKey address) throws CryptoException {
        return suite.kdf().derive(LABEL, sharedSecret, address.bytes(), suite.aead().keySize());
    }

    private static byte[] nonce(CryptoSuite suite) {
        return new byte[suite.aead().nonceSize()];
    }
}
