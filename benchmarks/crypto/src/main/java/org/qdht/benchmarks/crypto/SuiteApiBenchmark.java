package org.qdht.benchmarks.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
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
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KemScheme;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.crypto.SignatureScheme;
import org.qdht.api.crypto.SuiteSignature;

/**
 * The KEM and signature operations through our suite API ({@code CryptoSuite.kem()} and
 * {@code signatures()}) as a node calls them: keys held as {@link KeyPair} (encoded public key,
 * secret key in the suite's storage form), every input checked on each call. Keys, ciphertext and
 * signature are the fixed ones of {@link Fixtures}, the same as {@link RawBcBenchmark} uses.
 *
 * <p>Method names match {@link RawBcBenchmark} and {@link JdkBenchmark}, so one include pattern per
 * operation runs the three side by side. Signing the SLH-DSA "s" sets takes about a second, so
 * {@link Sign} leaves them out of its default list; select them with {@code -p suite=...}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SuiteApiBenchmark {

    @State(Scope.Benchmark)
    public static class Kem {
        @Param({"xwing-mldsa65", "mlkem512-mldsa44", "mlkem768-mldsa65", "mlkem1024-mldsa87",
                "mlkem1024-slhdsa-sha2-128f", "mlkem1024-slhdsa-sha2-128s",
                "mlkem1024-slhdsa-shake-128f", "mlkem1024-slhdsa-shake-128s"})
        public String suite;

        KemScheme kem;
        KeyPair keyPair;
        EncodedPublicKey publicKey;
        KemCiphertext ciphertext;

        @Setup
        public void setup() throws CryptoException {
            kem = Fixtures.suite(suite, new SecureRandom()).kem();
            keyPair = kem.deriveKeyPair(Fixtures.kemSeed(suite));
            publicKey = keyPair.publicKey();
            AsymmetricCipherKeyPair bc = Fixtures.bcKemKey(suite);
            Fixtures.checkSameKey(suite, publicKey.key(), bc.getPublic());
            byte[] ct = Fixtures.kemCiphertext(suite, bc.getPublic());
            ciphertext = KemCiphertext.of(publicKey.suite(), publicKey.keyId(), ct);
            // a broken setup shows here rather than as a fast figure
            if (!Arrays.equals(kem.decapsulate(keyPair, ciphertext).copy(),
                    Fixtures.bcDecapsulate(suite, bc.getPrivate(), ct))) {
                throw new IllegalStateException(suite + ": our API and raw BC decapsulate to different secrets");
            }
            try (Encapsulation e = kem.encapsulate(publicKey)) {
                if (!Arrays.equals(e.sharedSecret().copy(), kem.decapsulate(keyPair, e.ciphertext()).copy())) {
                    throw new IllegalStateException(suite + ": KEM round trip failed");
                }
            }
        }
    }

    /** Key pair and signature for verify; also what {@link Sign} starts from. */
    @State(Scope.Benchmark)
    public static class Sig {
        @Param({"xwing-mldsa65", "mlkem512-mldsa44", "mlkem768-mldsa65", "mlkem1024-mldsa87",
                "mlkem1024-slhdsa-sha2-128f", "mlkem1024-slhdsa-sha2-128s",
                "mlkem1024-slhdsa-shake-128f", "mlkem1024-slhdsa-shake-128s"})
        public String suite;

        SignatureScheme signatures;
        KeyPair keyPair;
        EncodedPublicKey publicKey;
        SuiteSignature signature;

        @Setup
        public void setup() throws Exception {
            signatures = Fixtures.suite(suite, new SecureRandom()).signatures();
            keyPair = signatures.deriveKeyPair(Fixtures.sigSeed(suite));
            publicKey = keyPair.publicKey();
            AsymmetricCipherKeyPair bc = Fixtures.bcSigKey(suite);
            Fixtures.checkSameKey(suite, publicKey.key(), bc.getPublic());
            signature = SuiteSignature.of(publicKey.suite(), publicKey.keyId(), Fixtures.signature(suite, bc.getPrivate()));
            if (!signatures.verify(publicKey, Fixtures.MESSAGE, signature)) {
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

        SignatureScheme signatures;
        KeyPair keyPair;

        @Setup
        public void setup() throws CryptoException {
            signatures = Fixtures.suite(suite, new SecureRandom()).signatures();
            keyPair = signatures.deriveKeyPair(Fixtures.sigSeed(suite));
        }
    }

    @Benchmark
    public KeyPair kemKeygen(Kem s) {
        return s.kem.generateKeyPair();
    }

    @Benchmark
    public Encapsulation kemEncaps(Kem s) throws CryptoException {
        return s.kem.encapsulate(s.publicKey);
    }

    @Benchmark
    public SecretBytes kemDecaps(Kem s) throws CryptoException {
        return s.kem.decapsulate(s.keyPair, s.ciphertext);
    }

    @Benchmark
    public KeyPair sigKeygen(Sig s) {
        return s.signatures.generateKeyPair();
    }

    @Benchmark
    public SuiteSignature sign(Sign s) throws CryptoException {
        return s.signatures.sign(s.keyPair, Fixtures.MESSAGE);
    }

    @Benchmark
    public boolean verify(Sig s) throws CryptoException {
        return s.signatures.verify(s.publicKey, Fixtures.MESSAGE, s.signature);
    }
}
