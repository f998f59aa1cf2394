package org.qdht.channel.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KemScheme;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.crypto.SignatureScheme;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.wire.WireFormatException;

/**
 * A whole channel handshake in memory ({@link InMemoryHandshake}: both peers' work on one thread)
 * against the primitives it is made of, on the same suite objects and keys, so the runner can put
 * the handshake beside the sum of its parts measured in the same run:
 *
 * <ul>
 * <li>{@code handshakeXX}: initiator ephemeral KEM keygen, responder encapsulation, initiator
 * decapsulation, a signature and a verification on each side, plus the transcript hashing, HKDF,
 * AEAD of the sealed identities, packet encoding and decoding, NodeId and puzzle checks and the
 * confirm message;</li>
 * <li>{@code handshakeIK}: the same plus an encapsulation to the responder's static KEM key and its
 * decapsulation (the static key is made once and kept, as a node keeps it: not counted);</li>
 * <li>{@code kemKeygen}, {@code kemEncaps}, {@code kemDecaps}, {@code sign}, {@code verify}: the
 * suite calls the handshake makes, through the same API ({@code kem().generateKeyPair()},
 * {@code encapsulate(pk)}, {@code decapsulate(kp, ct)}, {@code signatures().sign(kp, msg)},
 * {@code verify(pk, msg, sig)}). Decapsulation and signing use long-lived key pairs, as the
 * crypto benchmarks do;</li>
 * <li>{@code kemKeygenDecaps}: a fresh key pair and its first decapsulation, as the initiator's
 * ephemeral key gets it: crypto-bc expands a stored secret key on its first use and keeps the
 * expanded form per key pair, so a first decapsulation costs more than {@code kemDecaps};</li>
 * <li>{@code pairedXX}, {@code pairedIK}: a handshake and the sum of those calls, timed back to back in
 * each invocation, for a ratio that the machine's load does not skew.</li>
 * </ul>
 *
 * <p>The signed message has the length of what the handshake signs: a 25-byte role label and the
 * 32-byte transcript hash.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandshakeBenchmark {
    /** The two suites of the issue: the default one and the conservative (hash-based signature) one. */
    public static final String[] SUITES = {"xwing-mldsa65", "mlkem1024-slhdsa-sha2-128f"};

    @State(Scope.Benchmark)
    public static class Parties {
        @Param({"xwing-mldsa65", "mlkem1024-slhdsa-sha2-128f"})
        public String suite;

        BenchParty initiator;
        BenchParty responder;
        CryptoSuite crypto;
        KeyPair kemKey;
        KemCiphertext ciphertext;
        byte[] message;
        SuiteSignature signature;
        SuiteSignature initiatorSignature;

        @Setup
        public void setup() throws Exception {
            SecureRandom random = new SecureRandom();
            SuiteId id = SuiteId.parse(suite);
            initiator = new BenchParty(id, random);
            responder = new BenchParty(id, random);
            // the responder's static KEM key exists before the first handshake, as in a running node
            responder.staticKemKey(responder.active());
            crypto = responder.active();
            kemKey = crypto.kem().generateKeyPair();
            try (Encapsulation e = crypto.kem().encapsulate(kemKey.publicKey())) {
                ciphertext = e.ciphertext();
            }
            message = toBeSigned(crypto);
            signature = crypto.signatures().sign(responder.identity.key, message);
            initiatorSignature = crypto.signatures().sign(initiator.identity.key, message);
            if (!crypto.signatures().verify(responder.identity.signingKey(), message, signature)
                    || !crypto.signatures().verify(initiator.identity.signingKey(), message, initiatorSignature)) {
                throw new IllegalStateException(suite + ": a fresh signature does not verify");
            }
            // a broken handshake shows here rather than as a fast figure
            InMemoryHandshake.run(initiator, responder, false);
            InMemoryHandshake.run(initiator, responder, true);
        }

        @TearDown
        public void tearDown() {
            kemKey.destroy();
        }
    }

    /** A message as long as what each side signs: {@code "qdht/channel/v1/<role>"} and the transcript hash. */
    static byte[] toBeSigned(CryptoSuite suite) {
        byte[] label = "qdht/channel/v1/responder".getBytes(StandardCharsets.US_ASCII);
        byte[] hash = suite.hash("benchmark transcript".getBytes(StandardCharsets.US_ASCII));
        return Transcript.concat(label, hash);
    }

    @Benchmark
    public Object handshakeXX(Parties p) throws ChannelException, WireFormatException {
        return InMemoryHandshake.run(p.initiator, p.responder, false);
    }

    @Benchmark
    public Object handshakeIK(Parties p) throws ChannelException, WireFormatException {
        return InMemoryHandshake.run(p.initiator, p.responder, true);
    }

    @Benchmark
    public KeyPair kemKeygen(Parties p) {
        return p.crypto.kem().generateKeyPair();
    }

    @Benchmark
    public Encapsulation kemEncaps(Parties p) throws CryptoException {
        return p.crypto.kem().encapsulate(p.kemKey.publicKey());
    }

    @Benchmark
    public SecretBytes kemDecaps(Parties p) throws CryptoException {
        return p.crypto.kem().decapsulate(p.kemKey, p.ciphertext);
    }

    /**
     * Key generation and the first decapsulation with the new key pair, then its destruction, as the
     * initiator's ephemeral key goes through them. The ciphertext was made for another key: both KEMs
     * decapsulate it with their full work (ML-KEM's implicit rejection), only the secret differs.
     */
    @Benchmark
    public SecretBytes kemKeygenDecaps(Parties p) throws CryptoException {
        KeyPair fresh = p.crypto.kem().generateKeyPair();
        try {
            return p.crypto.kem().decapsulate(fresh, p.ciphertext);
        } finally {
            fresh.destroy();
        }
    }

    /**
     * Time spent in handshakes and in their primitives by {@link #pairedXX} / {@link #pairedIK}, summed
     * over a measurement iteration (JMH reports them as secondary results).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Pairs {
        public long handshakeNanos;
        public long primitivesNanos;
        public long pairs;
        boolean primitivesFirst;

        @Setup(Level.Iteration)
        public void reset() {
            handshakeNanos = 0;
            primitivesNanos = 0;
            pairs = 0;
        }
    }

    /**
     * A handshake and the sum of its primitives back to back in each invocation, each timed, the
     * order alternating: the ratio of the two totals of an iteration is paired, so a change of the
     * machine's load (a shared, noisy machine) weighs on both alike. The primitives are the calls of
     * the benchmarks above: KEM keygen, encapsulation, decapsulation, a signature and a verification
     * by each side.
     */
    @Benchmark
    public boolean pairedXX(Parties p, Pairs t) throws Exception {
        return paired(p, t, false);
    }

    /** As {@link #pairedXX} for IK: one more encapsulation and decapsulation on both sides of the pair. */
    @Benchmark
    public boolean pairedIK(Parties p, Pairs t) throws Exception {
        return paired(p, t, true);
    }

    private static boolean paired(Parties p, Pairs t, boolean ik) throws Exception {
        boolean ok;
        long a = System.nanoTime();
        if (t.primitivesFirst) {
            ok = primitives(p, ik);
            long b = System.nanoTime();
            InMemoryHandshake.run(p.initiator, p.responder, ik);
            long c = System.nanoTime();
            t.primitivesNanos += b - a;
            t.handshakeNanos += c - b;
        } else {
            InMemoryHandshake.run(p.initiator, p.responder, ik);
            long b = System.nanoTime();
            ok = primitives(p, ik);
            long c = System.nanoTime();
            t.handshakeNanos += b - a;
            t.primitivesNanos += c - b;
        }
        t.primitivesFirst = !t.primitivesFirst;
        t.pairs++;
        return ok;
    }

    private static boolean primitives(Parties p, boolean ik) throws CryptoException {
        KemScheme kem = p.crypto.kem();
        SignatureScheme signatures = p.crypto.signatures();
        KeyPair ephemeral = kem.generateKeyPair();
        int n = ephemeral.publicKey().size();
        for (int i = 0; i < (ik ? 2 : 1); i++) {
            Encapsulation e = kem.encapsulate(p.kemKey.publicKey());
            SecretBytes s = kem.decapsulate(p.kemKey, p.ciphertext);
            n += e.ciphertext().size() + s.length();
        }
        n += signatures.sign(p.responder.identity.key, p.message).size();
        n += signatures.sign(p.initiator.identity.key, p.message).size();
        boolean ok = signatures.verify(p.responder.identity.signingKey(), p.message, p.signature);
        ok &= signatures.verify(p.initiator.identity.signingKey(), p.message, p.initiatorSignature);
        return ok && n > 0;
    }

    @Benchmark
    public SuiteSignature sign(Parties p) throws CryptoException {
        return p.crypto.signatures().sign(p.responder.identity.key, p.message);
    }

    @Benchmark
    public boolean verify(Parties p) throws CryptoException {
        return p.crypto.signatures().verify(p.responder.identity.signingKey(), p.message, p.signature);
    }
}
