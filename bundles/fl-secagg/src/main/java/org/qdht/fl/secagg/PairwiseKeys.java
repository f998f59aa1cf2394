package org.qdht.fl.secagg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.SecretBytes;

/**
 * What two clients derive from the KEM secret they share. Two independent derivations with
 * different labels, so that revealing one never gives the other:
 *
 * <pre>
 *   seed_uv     = KDF(salt "qdht/secagg/mask/v1",  ss_uv, info round i64 || min(u,v) u16 || max(u,v) u16, 32)
 *   key_{u->v}  = KDF(salt "qdht/secagg/share/v1", ss_uv, info round i64 || u u16 || v u16, AEAD key size)
 *   box_{u->v}  = AEAD(key_{u->v}, nonce 0, ad = round || u || v, share of b_u at x = v)
 * </pre>
 *
 * When u drops out, v reveals seed_uv to the server; the share keys stay secret, so the server
 * still cannot open the shares of b_u it carried. Each direction has its own key, used for one
 * share only, so a zero nonce never repeats under a key. Thread safe (stateless).
 */
final class PairwiseKeys {
    private static final byte[] MASK_LABEL = "qdht/secagg/mask/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHARE_LABEL = "qdht/secagg/share/v1".getBytes(StandardCharsets.US_ASCII);

    private PairwiseKeys() {
    }

    /** The pairwise mask seed of u and v, the same whichever of the two asks. */
    static byte[] maskSeed(CryptoSuite suite, SecretBytes shared, long round, int u, int v) throws CryptoException {
        try (SecretBytes seed = suite.kdf().derive(MASK_LABEL, shared, binding(round, Math.min(u, v), Math.max(u, v)), SecAggLimits.SEED_LENGTH)) {
            return seed.copy();
        }
    }

    /** Seals the share of {@code from}'s self-mask seed that {@code to} will hold. */
    static byte[] sealShare(CryptoSuite suite, SecretBytes shared, long round, int from, int to, Shamir.Share share) throws CryptoException {
        byte[] ad = binding(round, from, to);
        try (SecretBytes key = suite.kdf().derive(SHARE_LABEL, shared, ad, suite.aead().keySize())) {
            return suite.aead().seal(key, new byte[suite.aead().nonceSize()], ad, share.valueBytes());
        }
    }

    /**
     * Opens a share that {@code from} sealed for {@code to}.
     *
     * @throws SecAggException {@code SHARE_AUTHENTICATION_FAILED} when the tag does not verify or the content is no share
     */
    static Shamir.Share openShare(CryptoSuite suite, SecretBytes shared, long round, int from, int to, byte[] box) throws SecAggException {
        byte[] ad = binding(round, from, to);
        byte[] value;
        try (SecretBytes key = suite.kdf().derive(SHARE_LABEL, shared, ad, suite.aead().keySize())) {
            value = suite.aead().open(key, new byte[suite.aead().nonceSize()], ad, box);
        } catch (CryptoException e) {
            throw new SecAggException(SecAggException.Reason.SHARE_AUTHENTICATION_FAILED, "the share sealed by client " + from + " for client " + to + " does not open", e);
        }
        return Shamir.Share.of(to, value).orElseThrow(() -> new SecAggException(
                SecAggException.Reason.SHARE_AUTHENTICATION_FAILED, "the share sealed by client " + from + " is not a field element"));
    }

    private static byte[] binding(long round, int a, int b) {
        return ByteBuffer.allocate(12).putLong(round).putShort((short) a).putShort((short) b).array();
    }
}
