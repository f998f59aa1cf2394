package org.qdht.benchmarks.crypto;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKey;

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
 * For comparison, the JDK's own ML-KEM ({@code javax.crypto.KEM}, JEP 496) and ML-DSA
 * ({@code java.security.Signature}, JEP 497): Java 24 and later only. The module compiles for
 * Java 17, where {@code javax.crypto.KEM} does not exist (it came in 21), so the KEM calls go
 * through method handles held in static finals, which the JIT inlines like direct calls. On an
 * older JVM the setup fails with a clear message; {@link CryptoBenchmarks} does not even try.
 *
 * <p>Like the other two classes, each encapsulation, decapsulation and signature builds its
 * encapsulator, decapsulator or initialises its {@code Signature} afresh; key pair generators
 * and the {@code KEM}/{@code Signature} objects themselves come from setup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JdkBenchmark {

    static void requireJdkPqc() {
        if (!Fixtures.jdkHasPqc()) {
            throw new IllegalStateException("the JDK's ML-KEM and ML-DSA need Java 24 or later; this is "
                    + Runtime.version());
        }
    }

    /** Method handles onto javax.crypto.KEM and its nested classes; loaded only on Java 24+. */
    static final class Kems {
        static final MethodHandle GET_INSTANCE;
        static final MethodHandle NEW_ENCAPSULATOR;
        static final MethodHandle ENCAPSULATE;
        static final MethodHandle ENCAPSULATION;
        static final MethodHandle NEW_DECAPSULATOR;
        static final MethodHandle DECAPSULATE;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> kem = Class.forName("javax.crypto.KEM");
                Class<?> encapsulator = Class.forName("javax.crypto.KEM$Encapsulator");
                Class<?> encapsulated = Class.forName("javax.crypto.KEM$Encapsulated");
                Class<?> decapsulator = Class.forName("javax.crypto.KEM$Decapsulator");
                GET_INSTANCE = lookup.findStatic(kem, "getInstance", methodType(kem, String.class))
                        .asType(methodType(Object.class, String.class));
                NEW_ENCAPSULATOR = lookup.findVirtual(kem, "newEncapsulator", methodType(encapsulator, PublicKey.class))
                        .asType(methodType(Object.class, Object.class, PublicKey.class));
                ENCAPSULATE = lookup.findVirtual(encapsulator, "encapsulate", methodType(encapsulated))
                        .asType(methodType(Object.class, Object.class));
                ENCAPSULATION = lookup.findVirtual(encapsulated, "encapsulation", methodType(byte[].class))
                        .asType(methodType(byte[].class, Object.class));
                NEW_DECAPSULATOR = lookup.findVirtual(kem, "newDecapsulator", methodType(decapsulator, PrivateKey.class))
                        .asType(methodType(Object.class, Object.class, PrivateKey.class));
                DECAPSULATE = lookup.findVirtual(decapsulator, "decapsulate", methodType(SecretKey.class, byte[].class))
                        .asType(methodType(SecretKey.class, Object.class, byte[].class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private Kems() {
        }
    }

    @State(Scope.Benchmark)
    public static class Kem {
        /** the ML-KEM suites; the JDK has no X-Wing */
        @Param({"mlkem512-mldsa44", "mlkem768-mldsa65", "mlkem1024-mldsa87"})
        public String suite;

        KeyPairGenerator generator;
        Object kem;
        KeyPair keyPair;
        byte[] ciphertext;

        @Setup
        public void setup() throws Throwable {
            requireJdkPqc();
            String name = Fixtures.jdkKem(suite);
            if (name == null) {
                throw new IllegalArgumentException("the JDK has no KEM of suite " + suite);
            }
            generator = KeyPairGenerator.getInstance(name);
            kem = (Object) Kems.GET_INSTANCE.invokeExact("ML-KEM");
            keyPair = generator.generateKeyPair();
            Object encapsulator = (Object) Kems.NEW_ENCAPSULATOR.invokeExact(kem, keyPair.getPublic());
            ciphertext = (byte[]) Kems.ENCAPSULATION.invokeExact((Object) Kems.ENCAPSULATE.invokeExact(encapsulator));
        }
    }

    @State(Scope.Benchmark)
    public static class Sig {
        /** the ML-DSA suites; the JDK has no SLH-DSA */
        @Param({"xwing-mldsa65", "mlkem512-mldsa44", "mlkem768-mldsa65", "mlkem1024-mldsa87"})
        public String suite;

        SecureRandom random;
        KeyPairGenerator generator;
        Signature signature;
        KeyPair keyPair;
        byte[] signed;

        @Setup
        public void setup() throws GeneralSecurityException {
            requireJdkPqc();
            String name = Fixtures.jdkSignature(suite);
            if (name == null) {
                throw new IllegalArgumentException("the JDK has no signature scheme of suite " + suite);
            }
            random = new SecureRandom();
            generator = KeyPairGenerator.getInstance(name);
            signature = Signature.getInstance(name);
            keyPair = generator.generateKeyPair();
            signature.initSign(keyPair.getPrivate(), random);
            signature.update(Fixtures.MESSAGE);
            signed = signature.sign();
        }
    }

    @Benchmark
    public KeyPair kemKeygen(Kem s) {
        return s.generator.generateKeyPair();
    }

    @Benchmark
    public Object kemEncaps(Kem s) throws Throwable {
        Object encapsulator = (Object) Kems.NEW_ENCAPSULATOR.invokeExact(s.kem, s.keyPair.getPublic());
        return (Object) Kems.ENCAPSULATE.invokeExact(encapsulator);
    }

    @Benchmark
    public SecretKey kemDecaps(Kem s) throws Throwable {
        Object decapsulator = (Object) Kems.NEW_DECAPSULATOR.invokeExact(s.kem, s.keyPair.getPrivate());
        return (SecretKey) Kems.DECAPSULATE.invokeExact(decapsulator, s.ciphertext);
    }

    @Benchmark
    public KeyPair sigKeygen(Sig s) {
        return s.generator.generateKeyPair();
    }

    @Benchmark
    public byte[] sign(Sig s) throws GeneralSecurityException {
        s.signature.initSign(s.keyPair.getPrivate(), s.random);
        s.signature.update(Fixtures.MESSAGE);
        return s.signature.sign();
    }

    @Benchmark
    public boolean verify(Sig s) throws GeneralSecurityException {
        s.signature.initVerify(s.keyPair.getPublic());
        s.signature.update(Fixtures.MESSAGE);
        return s.signature.verify(s.signed);
    }
}
