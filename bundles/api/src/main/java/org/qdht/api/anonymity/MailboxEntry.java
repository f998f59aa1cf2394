package org.qdht.api.anonymity;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One sealed message collected from a {@link Mailbox}. The mailbox knows neither who deposited it
 * nor what it says: {@link #sealed()} is opaque to it and is opened by the messaging layer. Limits:
 * id {@value #ID_LENGTH} bytes, sealed content 1-{@value Mailbox#MAX_ENTRY_SIZE} bytes. Immutable
 * and thread safe.
 */
public final class MailboxEntry {
    public static final int ID_LENGTH = 16;

    private final byte[] id;
    private final byte[] sealed;
    private final Instant depositedAt;
    private final Instant expiresAt;

    private MailboxEntry(byte[] id, byte[] sealed, Instant depositedAt, Instant expiresAt) {
        this.id = id;
        this.sealed = sealed;
        this.depositedAt = depositedAt;
        this.expiresAt = expiresAt;
    }

    /**
     * @param id          random identifier the mailbox gave the entry, for deduplication
     * @param sealed      the deposited bytes
     * @param depositedAt when the mailbox accepted the entry
     * @param expiresAt   when the mailbox drops the entry
     * @throws IllegalArgumentException for a null field, an id of the wrong length, empty or
     *         oversized content, or an expiry not after the deposit
     */
    public static MailboxEntry of(byte[] id, byte[] sealed, Instant depositedAt, Instant expiresAt) {
        if (id == null || id.length != ID_LENGTH) {
            throw new IllegalArgumentException("mailbox entry id must be " + ID_LENGTH + " bytes");
        }
        if (sealed == null || sealed.length == 0 || sealed.length > Mailbox.MAX_ENTRY_SIZE) {
            throw new IllegalArgumentException("mailbox entry must be 1-" + Mailbox.MAX_ENTRY_SIZE + " bytes, got "
                    + (sealed == null ? "null" : sealed.length));
        }
        if (depositedAt == null || expiresAt == null || !expiresAt.isAfter(depositedAt)) {
            throw new IllegalArgumentException("mailbox entry needs a deposit time and a later expiry");
        }
        return new MailboxEntry(id.clone(), sealed.clone(), depositedAt, expiresAt);
    }

    /** A copy of the entry's identifier. */
    public byte[] id() {
        return id.clone();
    }

    /** A copy of the sealed content. */
    public byte[] sealed() {
        return sealed.clone();
    }

    public int size() {
        return sealed.length;
    }

    public Instant depositedAt() {
        return depositedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MailboxEntry)) {
            return false;
        }
        MailboxEntry e = (MailboxEntry) o;
        return Arrays.equals(id, e.id) && Arrays.equals(sealed, e.sealed) && depositedAt.equals(e.depositedAt)
                && expiresAt.equals(e.expiresAt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "MailboxEntry[" + HexFormat.of().formatHex(id) + " " + sealed.length + " B, expires " + expiresAt + "]";
    }
}
