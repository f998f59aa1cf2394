package org.qdht.onion.core;

import java.security.MessageDigest;
import java.util.Arrays;

import org.qdht.api.KeyId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.wire.WireFormatException;

/**
 * One hop's processing of a packet, the same for requests and replies: check the size and key id,
 * decapsulate, verify the header MAC, decrypt beta to find the routing block, remove one LIONESS
 * layer from the payload, and either shift beta for the next hop or hand over the payload. Cheap
 * checks come first so that garbage costs no decapsulation. No state; thread safe.
 */
final class HopProcessor {
    private final CryptoSuite suite;
    private final Layout layout;

    HopProcessor(CryptoSuite suite, Layout layout) {
        this.suite = suite;
        this.layout = layout;
    }

    Unwrapped unwrap(KeyPair hopKey, byte[] packet) throws OnionException {
        if (packet == null || packet.length != layout.packetSize()) {
            throw new OnionException(OnionException.Reason.MALFORMED, "packet must be " + layout.packetSize()
                    + " bytes, got " + (packet == null ? "none" : packet.length));
        }
        KeyId keyId = KeyId.of(Arrays.copyOfRange(packet, 0, KeyId.LENGTH));
        if (!keyId.equals(hopKey.publicKey().keyId())) {
            throw new OnionException(OnionException.Reason.WRONG_KEY, "packet is for onion key " + keyId.toHex()
                    + ", not " + hopKey.publicKey().keyId().toHex());
        }
        HopKeys keys = decapsulate(hopKey, keyId, packet);
        try {
            return unwrap(keys, packet);
        } finally {
            keys.destroy();
        }
    }

    private HopKeys decapsulate(KeyPair hopKey, KeyId keyId, byte[] packet) throws OnionException {
        byte[] ct = Arrays.copyOfRange(packet, layout.ciphertextOffset(), layout.macOffset());
        try (SecretBytes ss = suite.kem().decapsulate(hopKey, KemCiphertext.of(suite.id(), keyId, ct))) {
            return HopKeys.derive(suite, ss);
        } catch (CryptoException e) {
            throw new OnionException(OnionException.Reason.CRYPTO, "cannot decapsulate: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a provider that trips over hostile ciphertext bytes must not take the relay down
            throw new OnionException(OnionException.Reason.CRYPTO, "KEM failed on the ciphertext: " + e, e);
        }
    }

    private Unwrapped unwrap(HopKeys keys, byte[] packet) throws OnionException {
        int betaSize = layout.betaSize();
        int blockSize = layout.blockSize();
        byte[] mac = HmacSha256.mac(keys.macKey, packet, layout.betaOffset(), betaSize);
        byte[] claimed = Arrays.copyOfRange(packet, layout.macOffset(), layout.macOffset() + HmacSha256.SIZE);
        if (!MessageDigest.isEqual(mac, claimed)) {
            throw new OnionException(OnionException.Reason.BAD_MAC, "header MAC does not verify");
        }
        // beta || 0^B, decrypted: our block, then the next hop's beta
        byte[] beta = Arrays.copyOf(Arrays.copyOfRange(packet, layout.betaOffset(), layout.betaOffset() + betaSize), betaSize + blockSize);
        ChaCha20.xor(keys.headerKey, beta, 0, beta.length);
        RoutingBlock block;
        try {
            block = RoutingBlock.read(layout, beta, 0);
        } catch (WireFormatException e) {
            throw new OnionException(OnionException.Reason.MALFORMED, "routing block: " + e.getMessage(), e);
        }
        byte[] payload = Arrays.copyOfRange(packet, layout.payloadOffset(), packet.length);
        Lioness.decrypt(keys.payloadKey, payload);
        byte[] tag = keys.replayTag.clone();
        if (block.command() == RoutingBlock.DELIVER) {
            return new Unwrapped.Deliver(payload, tag);
        }
        byte[] next = new byte[layout.packetSize()];
        System.arraycopy(block.nextHopFields(), 0, next, 0, layout.hopFieldsSize());
        System.arraycopy(beta, blockSize, next, layout.betaOffset(), betaSize);
        System.arraycopy(payload, 0, next, layout.payloadOffset(), payload.length);
        return new Unwrapped.Relay(block.nextNode(), block.nextAddress(), next, tag);
    }
}
