package org.qdht.api.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qdht.api.KeyId;
import org.qdht.api.SuiteId;
import org.qdht.api.wire.WireFormat;
import org.qdht.api.wire.WireFormatException;

class CryptoValuesTest {
    static final KeyId OLD = KeyId.of(new byte[16]);
    static final KeyId NEW = KeyId.fromHex("ffffffffffffffffffffffffffffffff");

    @Test
    void publicKeySignatureAndCiphertextRoundTrip() throws Exception {
        EncodedPublicKey pk = EncodedPublicKey.of(SuiteId.XWING_MLDSA65, KeyPurpose.KEM, new byte[1216]);
        assertEquals(pk, WireFormat.decode(EncodedPublicKey.CODEC, WireFormat.encode(EncodedPublicKey.CODEC, pk)));
        SuiteSignature sig = SuiteSignature.of(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, OLD, new byte[17_088]);
        assertThrows(IllegalArgumentException.class, () -> EncodedPublicKey.of(SuiteId.XWING_MLDSA65, KeyPurpose.KEM, OLD, new byte[1216]),
                "an id that is not the key's own is refused");
        assertEquals(sig, WireFormat.decode(SuiteSignature.CODEC, WireFormat.encode(SuiteSignature.CODEC, sig)));
        KemCiphertext ct = KemCiphertext.of(SuiteId.XWING_MLDSA65, OLD, new byte[1120]);
        assertEquals(ct, WireFormat.decode(KemCiphertext.CODEC, WireFormat.encode(KemCiphertext.CODEC, ct)));
    }

    @Test
    void keyIdIsDerivedOnDemandWithTheApiFormula() throws Exception {
        byte[] key = new byte[1184];
        key[0] = 5;
        EncodedPublicKey lazy = EncodedPublicKey.of(SuiteId.MLKEM768_MLDSA65, KeyPurpose.KEM, key);
        KeyId expected = EncodedPublicKey.keyIdOf(SuiteId.MLKEM768_MLDSA65, KeyPurpose.KEM, key);
        assertEquals(expected, lazy.keyId());
        assertEquals(EncodedPublicKey.of(SuiteId.MLKEM768_MLDSA65, KeyPurpose.KEM, expected, key), lazy);
        assertEquals(lazy, WireFormat.decode(EncodedPublicKey.CODEC, WireFormat.encode(EncodedPublicKey.CODEC, lazy)));
        // suite and purpose are part of the id
        assertFalse(expected.equals(EncodedPublicKey.keyIdOf(SuiteId.MLKEM768_MLDSA65, KeyPurpose.SIGNATURE, key)));
        assertFalse(expected.equals(EncodedPublicKey.keyIdOf(SuiteId.XWING_MLDSA65, KeyPurpose.KEM, key)));
        // a fixed vector for the formula: SHA-256("qdht/key-id/v1" || 00 03 || 01 || key), first 16 bytes
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update("qdht/key-id/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sha.update(new byte[] {0, 3, 1});
        sha.update(key);
        assertArrayEquals(java.util.Arrays.copyOf(sha.digest(), 16), expected.bytes());
    }

    @Test
    void decoderRefusesAKeyCarryingAnotherKeysId() {
        EncodedPublicKey pk = EncodedPublicKey.of(SuiteId.XWING_MLDSA65, KeyPurpose.KEM, new byte[1216]);
        byte[] frame = WireFormat.encode(EncodedPublicKey.CODEC, pk);
        frame[9] ^= 1; // header (5) + suite (2) + purpose (1), then the key id
        assertEquals(WireFormatException.Reason.MALFORMED,
                assertThrows(WireFormatException.class, () -> WireFormat.decode(EncodedPublicKey.CODEC, frame)).reason());
    }

    @Test
    void unknownKeyPurposeIsMalformed() {
        EncodedPublicKey pk = EncodedPublicKey.of(SuiteId.XWING_MLDSA65, KeyPurpose.KEM, new byte[4]);
        byte[] frame = WireFormat.encode(EncodedPublicKey.CODEC, pk);
        frame[7] = 9; // header (5 bytes) + suite (2 bytes), then the purpose byte
        assertEquals(WireFormatException.Reason.MALFORMED,
                assertThrows(WireFormatException.class, () -> WireFormat.decode(EncodedPublicKey.CODEC, frame)).reason());
    }

    @Test
    void oversizedValuesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SuiteSignature.of(SuiteId.XWING_MLDSA65, OLD, new byte[SuiteSignature.MAX_SIGNATURE_SIZE + 1]));
        assertThrows(IllegalArgumentException.class,
                () -> EncodedPublicKey.of(SuiteId.XWING_MLDSA65, KeyPurpose.KEM, new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> KemCiphertext.of(SuiteId.XWING_MLDSA65, OLD, new byte[KemCiphertext.MAX_CIPHERTEXT_SIZE + 1]));
    }

    @Test
    void keyRotationMustBeSignedByTheOldKeyAndRoundTrips() throws Exception {
        EncodedPublicKey oldKey = EncodedPublicKey.of(SuiteId.XWING_MLDSA65, KeyPurpose.SIGNATURE, new byte[1952]);
        EncodedPublicKey newKey = EncodedPublicKey.of(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, KeyPurpose.SIGNATURE, new byte[32]);
        SuiteSignature byOld = SuiteSignature.of(SuiteId.XWING_MLDSA65, oldKey.keyId(), new byte[3309]);
        KeyRotation rotation = new KeyRotation(oldKey, newKey, 42L, byOld);
        KeyRotation back = WireFormat.decode(KeyRotation.CODEC, WireFormat.encode(KeyRotation.CODEC, rotation));
        assertEquals(rotation.newKey(), back.newKey());
        assertArrayEquals(rotation.toBeSigned(), back.toBeSigned());
        SuiteSignature byNew = SuiteSignature.of(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, newKey.keyId(), new byte[10]);
        assertThrows(IllegalArgumentException.class, () -> new KeyRotation(oldKey, newKey, 42L, byNew));
    }

    @Test
    void destroyRunsTheRegisteredActionsOnceAndLateOnesAtOnce() {
        SecretBytes s = SecretBytes.copyOf(new byte[] {1});
        java.util.List<String> ran = new java.util.ArrayList<>();
        s.whenDestroyed(() -> ran.add("first"));
        s.destroy();
        s.destroy();
        assertEquals(java.util.List.of("first"), ran);
        s.whenDestroyed(() -> ran.add("late"));
        assertEquals(java.util.List.of("first", "late"), ran);
    }

    @Test
    void secretBytesAreWipedAndHidden() throws Exception {
        byte[] raw = {1, 2, 3};
        SecretBytes s = SecretBytes.copyOf(raw);
        assertFalse(s.toString().contains("1, 2"));
        assertEquals(6, (int) s.use(b -> b[0] + b[1] + b[2]));
        s.destroy();
        assertTrue(s.isDestroyed());
        assertEquals(CryptoException.Reason.KEY_DESTROYED, assertThrows(CryptoException.class, s::copy).reason());
        assertArrayEquals(new byte[] {1, 2, 3}, raw, "copyOf leaves the caller's array alone");
    }
}
