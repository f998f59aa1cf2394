package org.qdht.benchmarks.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.generators.SLHDSAKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.SLHDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.SLHDSAParameters;
import org.bouncycastle.crypto.params.SLHDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.SLHDSAPublicKeyParameters;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.bouncycastle.crypto.signers.SLHDSASigner;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.crypto.bc.Suites;

/**
 * What the benchmark classes share: suite names, their parameter sets, the message signed, and
 * the fixed keys, ciphertext and signature that the encaps, decaps, sign and verify benchmarks
 * work on. Our API and raw BC run in separate forked JVMs; deriving the keys from fixed seeds and
 * making ciphertext and signature with a fixed random stream gives both the same inputs, which
 * matters where the work depends on them (SLH-DSA verification follows the signature's WOTS+
 * chains; the ML-KEM matrix sampling rejects a key-dependent number of candidates).
 */
final class Fixtures {
    /** Every suite {@link Suites} builds, in code order. */
    static final List<String> SUITES = List.of(
            "xwing-mldsa65",
            "mlkem512-mldsa44",
            "mlkem768-mldsa65",
            "mlkem1024-mldsa87",
            "mlkem1024-slhdsa-sha2-128f",
            "mlkem1024-slhdsa-sha2-128s",
            "mlkem1024-slhdsa-shake-128f",
            "mlkem1024-slhdsa-shake-128s");

    /** The message every benchmark signs and verifies: 128 bytes, about a DHT record header. */
    static final byte[] MESSAGE = message(128);

    private Fixtures() {
    }

    private static byte[] message(int size) {
        byte[] seed = "qDHT benchmark message ".getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[size];
        for (int i = 0; i < size; i++) {
            m[i] = (byte) (seed[i % seed.length] ^ i);
        }
        return m;
    }

    /** The suite through our API, drawing randomness from {@code random}. */
    static CryptoSuite suite(String name, SecureRandom random) {
        SuiteId id = SuiteId.parse(name);
        if (id.equals(SuiteId.XWING_MLDSA65)) {
            return Suites.xwingMlDsa65(random);
        } else if (id.equals(SuiteId.MLKEM512_MLDSA44)) {
            return Suites.mlKem512MlDsa44(random);
        } else if (id.equals(SuiteId.MLKEM768_MLDSA65)) {
            return Suites.mlKem768MlDsa65(random);
        } else if (id.equals(SuiteId.MLKEM1024_MLDSA87)) {
            return Suites.mlKem1024MlDsa87(random);
        }
        return Suites.mlKem1024SlhDsa(id, random);
    }

    static boolean isXWing(String suite) {
        return suite.startsWith("xwing-");
    }

    /** BC's ML-KEM parameter set of the suite; null for X-Wing. */
    static MLKEMParameters mlKem(String suite) {
        if (suite.startsWith("mlkem512-")) {
            return MLKEMParameters.ml_kem_512;
        } else if (suite.startsWith("mlkem768-")) {
            return MLKEMParameters.ml_kem_768;
        } else if (suite.startsWith("mlkem1024-")) {
            return MLKEMParameters.ml_kem_1024;
        } else if (isXWing(suite)) {
            return null;
        }
        throw new IllegalArgumentException("unknown suite " + suite);
    }

    /** BC's ML-DSA parameter set of the suite; null for an SLH-DSA suite. */
    static MLDSAParameters mlDsa(String suite) {
        if (suite.endsWith("-mldsa44")) {
            return MLDSAParameters.ml_dsa_44;
        } else if (suite.endsWith("-mldsa65")) {
            return MLDSAParameters.ml_dsa_65;
        } else if (suite.endsWith("-mldsa87")) {
            return MLDSAParameters.ml_dsa_87;
        }
        return null;
    }

    /** BC's SLH-DSA parameter set of the suite; null for an ML-DSA suite. */
    static SLHDSAParameters slhDsa(String suite) {
        switch (suite) {
            case "mlkem1024-slhdsa-sha2-128f": return SLHDSAParameters.sha2_128f;
            case "mlkem1024-slhdsa-sha2-128s": return SLHDSAParameters.sha2_128s;
            case "mlkem1024-slhdsa-shake-128f": return SLHDSAParameters.shake_128f;
            case "mlkem1024-slhdsa-shake-128s": return SLHDSAParameters.shake_128s;
            default: return null;
        }
    }

    /** True for the SLH-DSA "s" sets, whose signing takes about a second. */
    static boolean slowSigning(String suite) {
        return suite.endsWith("-128s");
    }

    /** The JDK (24+) KeyPairGenerator name of the suite's KEM; null where the JDK has none (X-Wing). */
    static String jdkKem(String suite) {
        MLKEMParameters p = mlKem(suite);
        return p == null ? null : p.getName().toUpperCase(java.util.Locale.ROOT);
    }

    /** The JDK (24+) Signature name of the suite's signature scheme; null where the JDK has none (SLH-DSA). */
    static String jdkSignature(String suite) {
        MLDSAParameters p = mlDsa(suite);
        if (p == MLDSAParameters.ml_dsa_44) {
            return "ML-DSA-44";
        } else if (p == MLDSAParameters.ml_dsa_65) {
            return "ML-DSA-65";
        } else if (p == MLDSAParameters.ml_dsa_87) {
            return "ML-DSA-87";
        }
        return null;
    }

    /** {@code n} bytes of SHAKE256 over {@code label}: the fixed seeds. */
    static byte[] seed(String label, int n) {
        SHAKEDigest shake = new SHAKEDigest(256);
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        shake.update(l, 0, l.length);
        byte[] out = new byte[n];
        shake.doOutput(out, 0, n);
        return out;
    }

    /** A reproducible random stream (SHAKE256 over {@code label}), for making the fixed ciphertext and signature. */
    static SecureRandom fixedRandom(String label) {
        return new FixedRandom(label);
    }

    /** Our KEM seed of the suite: X-Wing's 32 bytes, FIPS 203's 64-byte {@code d || z}. */
    static byte[] kemSeed(String suite) {
        return seed("qdht-bench/kem/" + suite, isXWing(suite) ? 32 : 64);
    }

    /** The KEM key of {@link #kemSeed} as BC's objects: what {@code KemScheme.deriveKeyPair} computes. */
    static AsymmetricCipherKeyPair bcKemKey(String suite) {
        byte[] seed = kemSeed(suite);
        if (isXWing(suite)) {
            XWingPrivateKeyParameters sk = new XWingPrivateKeyParameters(seed);
            return new AsymmetricCipherKeyPair(sk.getPublicKeyParameters(), sk);
        }
        MLKEMPrivateKeyParameters sk = new MLKEMPrivateKeyParameters(mlKem(suite), seed);
        return new AsymmetricCipherKeyPair(sk.getPublicKeyParameters(), sk);
    }

    /** The standard encoding of a BC public key object of any of the suites' schemes. */
    static byte[] encoded(AsymmetricKeyParameter publicKey) {
        if (publicKey instanceof org.bouncycastle.crypto.params.MLKEMPublicKeyParameters) {
            return ((org.bouncycastle.crypto.params.MLKEMPublicKeyParameters) publicKey).getEncoded();
        } else if (publicKey instanceof org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters) {
            return ((org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters) publicKey).getEncoded();
        } else if (publicKey instanceof org.bouncycastle.crypto.params.MLDSAPublicKeyParameters) {
            return ((org.bouncycastle.crypto.params.MLDSAPublicKeyParameters) publicKey).getEncoded();
        } else if (publicKey instanceof SLHDSAPublicKeyParameters) {
            return ((SLHDSAPublicKeyParameters) publicKey).getEncoded();
        }
        throw new IllegalArgumentException("not a public key of ours: " + publicKey);
    }

    /** Fails unless our API derived the same public key from the seed as BC's objects hold. */
    static void checkSameKey(String suite, byte[] ours, AsymmetricKeyParameter bc) {
        if (!java.util.Arrays.equals(ours, encoded(bc))) {
            throw new IllegalStateException(suite + ": our API and raw BC derive different keys from the same seed");
        }
    }

    /** A fixed ciphertext for {@link #bcKemKey}. */
    static byte[] kemCiphertext(String suite, AsymmetricKeyParameter publicKey) {
        SecureRandom random = fixedRandom("qdht-bench/kem-ct/" + suite);
        return isXWing(suite) ? new XWingKEMGenerator(random).generateEncapsulated(publicKey).getEncapsulation()
                : new MLKEMGenerator(random).generateEncapsulated(publicKey).getEncapsulation();
    }

    /** The shared secret raw BC recovers from {@code ciphertext}: what our API must agree with. */
    static byte[] bcDecapsulate(String suite, AsymmetricKeyParameter privateKey, byte[] ciphertext) {
        return isXWing(suite)
                ? new org.bouncycastle.pqc.crypto.xwing.XWingKEMExtractor((XWingPrivateKeyParameters) privateKey).extractSecret(ciphertext)
                : new org.bouncycastle.crypto.kems.MLKEMExtractor((MLKEMPrivateKeyParameters) privateKey).extractSecret(ciphertext);
    }

    /** Our signature seed of the suite: FIPS 204's 32-byte xi, FIPS 205's 3n bytes. */
    static byte[] sigSeed(String suite) {
        SLHDSAParameters slh = slhDsa(suite);
        return seed("qdht-bench/sig/" + suite, slh == null ? 32 : 3 * slh.getN());
    }

    /** The signature key of {@link #sigSeed} as BC's objects: what {@code SignatureScheme.deriveKeyPair} computes. */
    static AsymmetricCipherKeyPair bcSigKey(String suite) {
        byte[] seed = sigSeed(suite);
        MLDSAParameters mlDsa = mlDsa(suite);
        if (mlDsa != null) {
            MLDSAPrivateKeyParameters sk = new MLDSAPrivateKeyParameters(mlDsa, seed);
            return new AsymmetricCipherKeyPair(sk.getPublicKeyParameters(), sk);
        }
        // as SLH-DSA's deriveKeyPair: the generator draws SK.seed, SK.prf, PK.seed from the seed, in order
        SLHDSAKeyPairGenerator generator = new SLHDSAKeyPairGenerator();
        generator.init(new SLHDSAKeyGenerationParameters(new SeedBytes(seed), slhDsa(suite)));
        SLHDSAPrivateKeyParameters sk = (SLHDSAPrivateKeyParameters) generator.generateKeyPair().getPrivate();
        return new AsymmetricCipherKeyPair(new SLHDSAPublicKeyParameters(slhDsa(suite), sk.getEncodedPublicKey()), sk);
    }

    /** A fixed signature of {@link #MESSAGE} by {@link #bcSigKey}; about a second for the SLH-DSA "s" sets. */
    static byte[] signature(String suite, AsymmetricKeyParameter privateKey) throws org.bouncycastle.crypto.CryptoException {
        SecureRandom random = fixedRandom("qdht-bench/sig-rnd/" + suite);
        if (mlDsa(suite) != null) {
            MLDSASigner signer = new MLDSASigner();
            signer.init(true, new ParametersWithRandom(privateKey, random));
            signer.update(MESSAGE, 0, MESSAGE.length);
            return signer.generateSignature();
        }
        SLHDSASigner signer = new SLHDSASigner();
        signer.init(true, new ParametersWithRandom(privateKey, random));
        return signer.generateSignature(MESSAGE);
    }

    /** SHAKE256 output as a SecureRandom; reproducible, so only for fixtures. */
    private static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final transient SHAKEDigest shake = new SHAKEDigest(256);

        FixedRandom(String label) {
            byte[] l = label.getBytes(StandardCharsets.UTF_8);
            shake.update(l, 0, l.length);
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            shake.doOutput(bytes, 0, bytes.length);
        }

        @Override
        public byte[] generateSeed(int n) {
            byte[] b = new byte[n];
            nextBytes(b);
            return b;
        }
    }

    /** Hands out the bytes of a seed once, in order, as crypto-bc's SeedRandom does for SLH-DSA. */
    private static final class SeedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;
        private int position;

        SeedBytes(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            if (position + bytes.length > seed.length) {
                throw new IllegalStateException("seed exhausted");
            }
            System.arraycopy(seed, position, bytes, 0, bytes.length);
            position += bytes.length;
        }
    }

    /** Whether this JVM has ML-KEM and ML-DSA in its own providers (Java 24+, JEP 496 and 497). */
    static boolean jdkHasPqc() {
        if (Runtime.version().feature() < 24) {
            return false;
        }
        try {
            java.security.KeyPairGenerator.getInstance("ML-KEM-768");
            java.security.Signature.getInstance("ML-DSA-65");
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
