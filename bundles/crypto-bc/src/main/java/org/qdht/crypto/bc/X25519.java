package org.qdht.crypto.bc;

import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoException.Reason;

/** X25519 (RFC 7748) for the classical half of hybrid KEMs. Stateless and thread safe. */
public final class X25519 {
    public static final int KEY_SIZE = 32;

    private X25519() {
    }

    /**
     * The shared secret of {@code privateKey} and {@code peerPublicKey}.
     *
     * @throws CryptoException {@code MALFORMED_INPUT} for wrong sizes, and for a low-order peer key
     *         whose result is all zeros (RFC 7748 section 6.1), which would make the secret public
     */
    public static byte[] agree(byte[] privateKey, byte[] peerPublicKey) throws CryptoException {
        Checks.length(privateKey, KEY_SIZE, "X25519 private key");
        Checks.length(peerPublicKey, KEY_SIZE, "X25519 public key");
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(new X25519PrivateKeyParameters(privateKey, 0));
        byte[] out = new byte[KEY_SIZE];
        try {
            agreement.calculateAgreement(new X25519PublicKeyParameters(peerPublicKey, 0), out, 0);
        } catch (IllegalStateException e) {
            // BC refuses an all-zero result itself
            throw new CryptoException(Reason.MALFORMED_INPUT, "X25519 public key is of low order (shared secret would be zero)");
        }
        int acc = 0;
        for (byte b : out) {
            acc |= b;
        }
        if (acc == 0) {
            throw new CryptoException(Reason.MALFORMED_INPUT, "X25519 public key is of low order (shared secret would be zero)");
        }
        return out;
    }

    /** The public key of {@code privateKey}. */
    public static byte[] publicKey(byte[] privateKey) throws CryptoException {
        Checks.length(privateKey, KEY_SIZE, "X25519 private key");
        return new X25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
    }
}
