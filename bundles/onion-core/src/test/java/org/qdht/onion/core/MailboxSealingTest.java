package org.qdht.onion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.routing.DhtKey;

class MailboxSealingTest {
    private static final KeyPair RECIPIENT = TestNodes.XWING.kem().generateKeyPair();
    private static final KeyPair OTHER = TestNodes.XWING.kem().generateKeyPair();
    private static final byte[] ID = TestNodes.randomBytes(MailboxSealing.ENTRY_ID_LENGTH);

    @Test
    void addressesDifferBySlotEpochAndKeyAndNameNoNode() {
        Set<DhtKey> seen = new HashSet<>();
        for (long epoch = 0; epoch < 3; epoch++) {
            for (int slot = 0; slot < MailboxSealing.SLOTS; slot++) {
                assertTrue(seen.add(MailboxSealing.address(TestNodes.XWING, RECIPIENT.publicKey(), epoch, slot)));
            }
        }
        assertNotEquals(MailboxSealing.address(TestNodes.XWING, RECIPIENT.publicKey(), 1, 0),
                MailboxSealing.address(TestNodes.XWING, OTHER.publicKey(), 1, 0));
    }

    @Test
    void onlyTheRecipientOpensAnEntryAndOnlyAtItsAddress() throws Exception {
        DhtKey at = MailboxSealing.address(TestNodes.XWING, RECIPIENT.publicKey(), 5, 0);
        byte[] message = "meet at noon".getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        byte[] entry = MailboxSealing.seal(TestNodes.XWING, RECIPIENT.publicKey(), at, ID, now, now.plusSeconds(60), message);
        assertFalse(TestNodes.contains(entry, message), "the content is encrypted");

        MailboxSealing.Opened opened = MailboxSealing.open(TestNodes.XWING, RECIPIENT, at, entry).orElseThrow();
        assertArrayEquals(message, opened.sealed());
        assertArrayEquals(ID, opened.id());
        assertEquals(now, opened.depositedAt());

        assertTrue(MailboxSealing.open(TestNodes.XWING, OTHER, at, entry).isEmpty(), "another key cannot open it");
        DhtKey elsewhere = MailboxSealing.address(TestNodes.XWING, RECIPIENT.publicKey(), 5, 1);
        assertTrue(MailboxSealing.open(TestNodes.XWING, RECIPIENT, elsewhere, entry).isEmpty(), "moved to another slot, it fails");
        byte[] tampered = entry.clone();
        tampered[tampered.length - 3] ^= 1;
        assertTrue(MailboxSealing.open(TestNodes.XWING, RECIPIENT, at, tampered).isEmpty(), "a changed byte fails the tag");
        assertTrue(MailboxSealing.open(TestNodes.XWING, RECIPIENT, at, new byte[] {1, 2, 3}).isEmpty(), "garbage is ignored");
    }
}
