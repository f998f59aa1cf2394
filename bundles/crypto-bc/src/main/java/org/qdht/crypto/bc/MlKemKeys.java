package org.qdht.crypto.bc;

import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoException.Reason;

/**
 * FIPS 203 key encodings and the input checks FIPS 203 asks of them: the modulus check of an
 * encapsulation key (section 7.2) and the hash check of a decapsulation key (section 7.3).
 */
final class MlKemKeys {
    private static final int Q = 3329;

    private MlKemKeys() {
    }

    static int encapsulationKeySize(MLKEMParameters p) {
        return 384 * p.getK() + 32;
    }

    static int decapsulationKeySize(MLKEMParameters p) {
        return 768 * p.getK() + 96;
    }

    /** Rejects an encapsulation key whose coefficients are not all below q (FIPS 203 modulus check). */
    static void checkEncapsulationKey(MLKEMParameters p, byte[] ek, int offset) throws CryptoException {
        int polyBytes = 384 * p.getK();
        for (int i = offset; i < offset + polyBytes; i += 3) {
            int b0 = ek[i] & 0xFF;
            int b1 = ek[i + 1] & 0xFF;
            int b2 = ek[i + 2] & 0xFF;
            int c0 = b0 | ((b1 & 0x0F) << 8);
            int c1 = (b1 >>> 4) | (b2 << 4);
            if (c0 >= Q || c1 >= Q) {
                throw new CryptoException(Reason.MALFORMED_INPUT, "encapsulation key fails the FIPS 203 modulus check");
            }
        }
    }

    /** The FIPS 203 decapsulation key {@code dk_PKE || ek || H(ek) || z} of {@code key}, whose {@code ek} is given. */
    static byte[] encodeDecapsulationKey(MLKEMPrivateKeyParameters key, byte[] ek) {
        byte[] s = key.getS();
        byte[] h = key.getHPK();
        byte[] z = key.getNonce();
        byte[] dk = new byte[s.length + ek.length + h.length + z.length];
        System.arraycopy(s, 0, dk, 0, s.length);
        System.arraycopy(ek, 0, dk, s.length, ek.length);
        System.arraycopy(h, 0, dk, s.length + ek.length, h.length);
        System.arraycopy(z, 0, dk, s.length + ek.length + h.length, z.length);
        Arrays.fill(s, (byte) 0);
        Arrays.fill(z, (byte) 0);
        return dk;
    }

    /** Parses a FIPS 203 decapsulation key after its length and hash checks. */
    static MLKEMPrivateKeyParameters decodeDecapsulationKey(MLKEMParameters p, byte[] dk) throws CryptoException {
        Checks.length(dk, decapsulationKeySize(p), p.getName() + " decapsulation key");
        int polyBytes = 384 * p.getK();
        int ekEnd = 2 * polyBytes + 32;
        byte[] h = sha3(dk, polyBytes, polyBytes + 32);
        if (!Arrays.equals(h, 0, 32, dk, ekEnd, ekEnd + 32)) {
            throw new CryptoException(Reason.MALFORMED_INPUT, "decapsulation key fails the FIPS 203 hash check");
        }
        byte[] s = Arrays.copyOfRange(dk, 0, polyBytes);
        byte[] t = Arrays.copyOfRange(dk, polyBytes, 2 * polyBytes);
        byte[] rho = Arrays.copyOfRange(dk, 2 * polyBytes, ekEnd);
        byte[] hpk = Arrays.copyOfRange(dk, ekEnd, ekEnd + 32);
        byte[] z = Arrays.copyOfRange(dk, ekEnd + 32, ekEnd + 64);
        try {
            return new MLKEMPrivateKeyParameters(p, s, hpk, z, t, rho);
        } finally {
            Arrays.fill(s, (byte) 0);
            Arrays.fill(z, (byte) 0);
        }
    }

    private static byte[] sha3(byte[] in, int offset, int length) {
        SHA3Digest d = new SHA3Digest(256);
        d.update(in, offset, length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
