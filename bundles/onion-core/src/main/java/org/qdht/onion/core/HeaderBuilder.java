package org.qdht.onion.core;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.qdht.api.KeyId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Encapsulation;

/**
 * Builds a Sphinx header (Danezis and Goldberg 2009, section 3.2) for a route of 1..R hops. Where
 * Sphinx blinds one group element from hop to hop, each hop here gets its own KEM ciphertext, as in
 * Katzenpost's KEMSphinx; each RELAY block carries the next hop's ciphertext, so a block is C bytes
 * larger than in Sphinx.
 *
 * <p>The "filler" is what the hops before the last append to beta (a zero block, XORed with their
 * stream): the sender computes it first, places it at the end of the last hop's beta, and then
 * every MAC it computes covers exactly the bytes the hop will see.
 */
final class HeaderBuilder {
    /** A header and the keys of its hops, in route order; the caller destroys the keys. */
    record Built(byte[] header, List<HopKeys> keys) {
        void destroy() {
            keys.forEach(HopKeys::destroy);
        }
    }

    private final CryptoSuite suite;
    private final Layout layout;
    private final SecureRandom random;

    HeaderBuilder(CryptoSuite suite, Layout layout, SecureRandom random) {
        this.suite = suite;
        this.layout = layout;
        this.random = random;
    }

    /** @param route 1..R hops, checked by the caller */
    Built build(List<Hop> route) throws OnionException {
        int n = route.size();
        int blockSize = layout.blockSize();
        int betaSize = layout.betaSize();
        List<HopKeys> keys = new ArrayList<>(n);
        byte[][] hopFields = new byte[n][];
        byte[][] streams = new byte[n][];
        try {
            for (int i = 0; i < n; i++) {
                hopFields[i] = encapsulate(route.get(i), keys);
                streams[i] = ChaCha20.keystream(keys.get(i).headerKey, betaSize + blockSize);
            }
            byte[] beta = lastBeta(n, keys.get(n - 1), streams[n - 1], filler(n, streams));
            setMac(hopFields[n - 1], keys.get(n - 1), beta);
            for (int i = n - 2; i >= 0; i--) {
                Hop next = route.get(i + 1);
                byte[] plain = new byte[betaSize];
                byte[] block = RoutingBlock.relay(layout, next.nodeId(), next.address(), hopFields[i + 1]);
                System.arraycopy(block, 0, plain, 0, blockSize);
                System.arraycopy(beta, 0, plain, blockSize, betaSize - blockSize);
                xor(plain, 0, streams[i], 0, betaSize);
                beta = plain;
                setMac(hopFields[i], keys.get(i), beta);
            }
            byte[] header = new byte[layout.headerSize()];
            System.arraycopy(hopFields[0], 0, header, 0, layout.hopFieldsSize());
            System.arraycopy(beta, 0, header, layout.betaOffset(), betaSize);
            return new Built(header, keys);
        } catch (OnionException | RuntimeException e) {
            keys.forEach(HopKeys::destroy);
            throw e;
        }
    }

    /** Key id and KEM ciphertext of one hop (MAC still zero); adds the hop's keys to {@code keys}. */
    private byte[] encapsulate(Hop hop, List<HopKeys> keys) throws OnionException {
        byte[] fields = new byte[layout.hopFieldsSize()];
        KeyId keyId = hop.onionKey().keyId();
        try (Encapsulation enc = suite.kem().encapsulate(hop.onionKey())) {
            byte[] ct = enc.ciphertext().bytes();
            if (ct.length != layout.ciphertextSize()) {
                throw new OnionException(OnionException.Reason.CRYPTO, "the KEM made a " + ct.length
                        + "-byte ciphertext, the format expects " + layout.ciphertextSize());
            }
            keys.add(HopKeys.derive(suite, enc.sharedSecret()));
            System.arraycopy(keyId.bytes(), 0, fields, 0, KeyId.LENGTH);
            System.arraycopy(ct, 0, fields, layout.ciphertextOffset(), ct.length);
            return fields;
        } catch (CryptoException e) {
            throw new OnionException(OnionException.Reason.CRYPTO, "cannot encapsulate to the onion key of "
                    + hop.nodeId().toShortString() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bytes the first {@code n - 1} hops append to beta, as the last hop sees them:
     * {@code phi_i = (phi_{i-1} || 0^B) XOR stream_{i-1}[L - (i-1)B, L + B)}, {@code (n-1)B} bytes.
     */
    private byte[] filler(int n, byte[][] streams) {
        int blockSize = layout.blockSize();
        int betaSize = layout.betaSize();
        byte[] filler = new byte[0];
        for (int i = 0; i < n - 1; i++) {
            byte[] longer = new byte[filler.length + blockSize];
            System.arraycopy(filler, 0, longer, 0, filler.length);
            xor(longer, 0, streams[i], betaSize - filler.length, longer.length);
            filler = longer;
        }
        return filler;
    }

    /**
     * The last hop's beta: the DELIVER block and random bytes, encrypted with its stream, then the
     * filler. Random rather than zero, so that the last hop cannot count the hops from where the
     * zeros it decrypts end and the filler begins.
     */
    private byte[] lastBeta(int n, HopKeys last, byte[] stream, byte[] filler) {
        int betaSize = layout.betaSize();
        int own = betaSize - filler.length;
        byte[] beta = new byte[betaSize];
        byte[] block = RoutingBlock.deliver(layout);
        System.arraycopy(block, 0, beta, 0, block.length);
        byte[] padding = new byte[own - block.length];
        random.nextBytes(padding);
        System.arraycopy(padding, 0, beta, block.length, padding.length);
        xor(beta, 0, stream, 0, own);
        System.arraycopy(filler, 0, beta, own, filler.length);
        return beta;
    }

    private void setMac(byte[] hopFields, HopKeys keys, byte[] beta) {
        byte[] mac = HmacSha256.mac(keys.macKey, beta, 0, beta.length);
        System.arraycopy(mac, 0, hopFields, layout.macOffset(), mac.length);
    }

    private static void xor(byte[] target, int targetOffset, byte[] source, int sourceOffset, int length) {
        for (int i = 0; i < length; i++) {
            target[targetOffset + i] ^= source[sourceOffset + i];
        }
    }
}
