package org.qdht.benchmarks.crypto;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLDSAKeyPairGenerator;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.generators.SLHDSAKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.MLDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.SLHDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.SLHDSAParameters;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.bouncycastle.crypto.signers.SLHDSASigner;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMExtractor;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingKeyPairGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same operations through Bouncy Castle 1.87's lightweight API, as a user of BC alone writes
 * them: BC's parameter objects ({@code MLKEMPrivateKeyParameters}, {@code MLDSAPrivateKeyParameters},
 * ...) kept from key generation and handed straight to BC, no encoding, no checks of our own. Each
 * operation makes its generator, extractor or signer afresh, as our API does, so the difference to
 * {@link SuiteApiBenchmark} is what our API adds: key encodings, input checks, key ids, wrappers.
 * Keys, ciphertext and signature are the fixed ones of {@link Fixtures}, the same as our API's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RawBcBenchmark {

    @State(Scope.Benchmark)
    public static class Kem {
        @Param({"xwing-mldsa65", "mlkem512-mldsa44", "mlkem768-mldsa65", "mlkem1024-mldsa87",
                "mlkem1024-slhdsa-sha2-128f", "mlkem1024-slhdsa-sha2-128s",
                "mlkem1024-slhdsa-shake-128f", "mlkem1024-slhdsa-shake-128s"})
        public String suite;

        SecureRandom random;
        boolean xwing;
        /** null for X-Wing */
        MLKEMParameters parameters;
        AsymmetricKeyParameter publicKey;
        AsymmetricKeyParameter privateKey;
        byte[] ciphertext;

        @Setup
        public void setup() {
            random = new SecureRandom();
            xwing = Fixtures.isXWing(suite);
            parameters = Fixtures.mlKem(suite);
            AsymmetricCipherKeyPair pair = Fixtures.bcKemKey(suite);
            publicKey = pair.getPublic();
            privateKey = pair.getPrivate();
            ciphertext = Fixtures.kemCiphertext(suite, publicKey);
        }
    }

    /** A signature key pair as BC's parameter objects, and the parameter set it belongs to. */
    static final class SigKeys {
        final SecureRandom random = new SecureRandom();
        /** exactly one of the two is set */
        final MLDSAParameters mlDsa;
        final SLHDSAParameters slhDsa;
        final AsymmetricKeyParameter publicKey;
        final AsymmetricKeyParameter privateKey;

        SigKeys(String suite) {
            mlDsa = Fixtures.mlDsa(suite);
            slhDsa = Fixtures.slhDsa(suite);
            AsymmetricCipherKeyPair pair = Fixtures.bcSigKey(suite);
            publicKey = pair.getPublic();
            privateKey = pair.getPrivate();
        }
    }

    /** Key pair and signature for verify. */
    @State(Scope.Benchmark)
    public static class Sig {
        @Param({"xwing-mldsa65", "mlkem512-mldsa44", "mlkem768-mldsa65", "mlkem1024-mldsa87",
                "mlkem1024-slhdsa-sha2-128f", "mlkem1024-slhdsa-sha2-128s",
                "mlkem1024-slhdsa-shake-128f", "mlkem1024-slhdsa-shake-128s"})
        public String suite;

        SigKeys keys;
        byte[] signature;

        @Setup
        public void setup() throws CryptoException {
            keys = new SigKeys(suite);
            signature = Fixtures.signature(suite, keys.privateKey);
            if (!verify(keys, signature)) {
                throw new IllegalStateException(suite + ": fresh signature does not verify");
            }
        }
    }

    /** For sign only: the default list leaves out the SLH-DSA "s" sets (about 1 s per signature). */
    @State(Scope.Benchmark)
    public static class Sign {
        @Param({"xwing-mldsa65", "mlkem512-mldsa44", "mlkem768-mldsa65", "mlkem1024-mldsa87",
                "mlkem1024-slhdsa-sha2-128f", "mlkem1024-slhdsa-shake-128f"})
        public String suite;

        SigKeys keys;

        @Setup
        public void setup() {
            keys = new SigKeys(suite);
        }
    }

    static AsymmetricCipherKeyPair keygen(Kem s) {
        if (s.xwing) {
            XWingKeyPairGenerator generator = new XWingKeyPairGenerator();
            generator.init(new XWingKeyGenerationParameters(s.random));
            return generator.generateKeyPair();
        }
        MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
        generator.init(new MLKEMKeyGenerationParameters(s.random, s.parameters));
        return generator.generateKeyPair();
    }

    static SecretWithEncapsulation encaps(Kem s) {
        if (s.xwing) {
            return new XWingKEMGenerator(s.random).generateEncapsulated(s.publicKey);
        }
        return new MLKEMGenerator(s.random).generateEncapsulated(s.publicKey);
    }

    static AsymmetricCipherKeyPair sigKeygen(SigKeys s) {
        if (s.mlDsa != null) {
            MLDSAKeyPairGenerator generator = new MLDSAKeyPairGenerator();
            generator.init(new MLDSAKeyGenerationParameters(s.random, s.mlDsa));
            return generator.generateKeyPair();
        }
        SLHDSAKeyPairGenerator generator = new SLHDSAKeyPairGenerator();
        generator.init(new SLHDSAKeyGenerationParameters(s.random, s.slhDsa));
        return generator.generateKeyPair();
    }

    static byte[] sign(SigKeys s) throws CryptoException {
        byte[] m = Fixtures.MESSAGE;
        if (s.mlDsa != null) {
            MLDSASigner signer = new MLDSASigner();
            signer.init(true, new ParametersWithRandom(s.privateKey, s.random));
            signer.update(m, 0, m.length);
            return signer.generateSignature();
        }
        SLHDSASigner signer = new SLHDSASigner();
        signer.init(true, new ParametersWithRandom(s.privateKey, s.random));
        return signer.generateSignature(m);
    }

    static boolean verify(SigKeys s, byte[] signature) {
        byte[] m = Fixtures.MESSAGE;
        if (s.mlDsa != null) {
            MLDSASigner verifier = new MLDSASigner();
            verifier.init(false, s.publicKey);
            verifier.update(m, 0, m.length);
            return verifier.verifySignature(signature);
        }
        SLHDSASigner verifier = new SLHDSASigner();
        verifier.init(false, s.publicKey);
        return verifier.verifySignature(m, signature);
    }

    @Benchmark
    public AsymmetricCipherKeyPair kemKeygen(Kem s) {
        return keygen(s);
    }

    @Benchmark
    public SecretWithEncapsulation kemEncaps(Kem s) {
        return encaps(s);
    }

    @Benchmark
    public byte[] kemDecaps(Kem s) {
        if (s.xwing) {
            return new XWingKEMExtractor((XWingPrivateKeyParameters) s.privateKey).extractSecret(s.ciphertext);
        }
        return new MLKEMExtractor((MLKEMPrivateKeyParameters) s.privateKey).extractSecret(s.ciphertext);
    }

    @Benchmark
    public AsymmetricCipherKeyPair sigKeygen(Sig s) {
        return sigKeygen(s.keys);
    }

    @Benchmark
    public byte[] sign(Sign s) throws CryptoException {
        return sign(s.keys);
    }

    @Benchmark
    public boolean verify(Sig s) {
        return verify(s.keys, s.signature);
    }
}
