package org.qdht.crypto.bc;

import java.security.SecureRandom;

import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.SLHDSAParameters;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoSuite;

/**
 * The suites assigned in {@link SuiteId}, built from this package. Every suite uses
 * ChaCha20-Poly1305 and HKDF-SHA-256; they differ in KEM and signature scheme. Each draws its
 * randomness from the one {@link SecureRandom} it is given, so a test can seed it.
 */
public final class Suites {
    private Suites() {
    }

    /** Default: X-Wing (ML-KEM-768 + X25519) and ML-DSA-65. */
    public static CryptoSuite xwingMlDsa65(SecureRandom random) {
        SuiteId id = SuiteId.XWING_MLDSA65;
        return assemble(id, new XWing(id, random), new MlDsa(id, MLDSAParameters.ml_dsa_65, random));
    }

    public static CryptoSuite mlKem512MlDsa44(SecureRandom random) {
        SuiteId id = SuiteId.MLKEM512_MLDSA44;
        return assemble(id, new MlKem(id, MLKEMParameters.ml_kem_512, random), new MlDsa(id, MLDSAParameters.ml_dsa_44, random));
    }

    public static CryptoSuite mlKem768MlDsa65(SecureRandom random) {
        SuiteId id = SuiteId.MLKEM768_MLDSA65;
        return assemble(id, new MlKem(id, MLKEMParameters.ml_kem_768, random), new MlDsa(id, MLDSAParameters.ml_dsa_65, random));
    }

    public static CryptoSuite mlKem1024MlDsa87(SecureRandom random) {
        SuiteId id = SuiteId.MLKEM1024_MLDSA87;
        return assemble(id, new MlKem(id, MLKEMParameters.ml_kem_1024, random), new MlDsa(id, MLDSAParameters.ml_dsa_87, random));
    }

    /** Conservative: ML-KEM-1024 and SLH-DSA (hash-based signatures), four parameter sets. */
    public static CryptoSuite mlKem1024SlhDsa(SuiteId id, SecureRandom random) {
        SLHDSAParameters p;
        if (id.equals(SuiteId.MLKEM1024_SLHDSA_SHA2_128F)) {
            p = SLHDSAParameters.sha2_128f;
        } else if (id.equals(SuiteId.MLKEM1024_SLHDSA_SHA2_128S)) {
            p = SLHDSAParameters.sha2_128s;
        } else if (id.equals(SuiteId.MLKEM1024_SLHDSA_SHAKE_128F)) {
            p = SLHDSAParameters.shake_128f;
        } else if (id.equals(SuiteId.MLKEM1024_SLHDSA_SHAKE_128S)) {
            p = SLHDSAParameters.shake_128s;
        } else {
            throw new IllegalArgumentException(id + " is not an ML-KEM-1024 + SLH-DSA suite");
        }
        return assemble(id, new MlKem(id, MLKEMParameters.ml_kem_1024, random), new SlhDsa(id, p, random));
    }

    private static CryptoSuite assemble(SuiteId id, org.qdht.api.crypto.KemScheme kem, org.qdht.api.crypto.SignatureScheme sig) {
        return new BcSuite(id, kem, sig, Aeads.chaCha20Poly1305(), new HkdfSha256());
    }
}
