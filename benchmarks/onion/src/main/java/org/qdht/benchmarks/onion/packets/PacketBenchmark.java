package org.qdht.benchmarks.onion.packets;

import java.util.List;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Warmup;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.onion.core.OnionException;
import org.qdht.onion.core.Packet;
import org.qdht.onion.core.SurbPair;
import org.qdht.onion.core.Unwrapped;

/**
 * The onion packet operations of {@code org.qdht.onion.core.PacketFormat} (default format: routes
 * of up to 5 hops, 16,384-byte payload) for one suite, with the suite's raw KEM decapsulation
 * beside them, as the onion bundle calls them:
 *
 * <ul>
 * <li>{@link #unwrapRelay}: what the entry relay does with a 3-hop request (decapsulate, MAC,
 * header stream, LIONESS over the payload, the next packet);
 * <li>{@link #unwrapDeliver}: the same for the exit, the last hop, which gets the payload;
 * <li>{@link #kemDecaps}: {@code suite.kem().decapsulate} alone, with the same long-lived key;
 * <li>{@link #forward3}, {@link #newSurb2}: what a client builds per anonymous operation: the
 * 3-hop request and the reply block over the 2 relays before the exit, back to itself;
 * <li>{@link #reply}: what the exit does to answer through a reply block;
 * <li>{@link #surbOpen}: the client opening the reply (its one-time key's first and only use).
 * </ul>
 *
 * Unwrapping has no side effects (the replay cache is the caller's), so the same packet is
 * unwrapped again and again. Opening destroys the reply secrets, so each {@link #surbOpen} gets a
 * new reply block and reply, made outside the measured time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PacketBenchmark {

    /** A 3-hop request, a reply block and a KEM ciphertext of one suite, checked in setup. */
    @State(Scope.Benchmark)
    public static class Network {
        @Param({"xwing-mldsa65", "mlkem768-mldsa65", "mlkem1024-mldsa87"})
        public String suite;

        PacketFixture fixture;

        @Setup
        public void setup() throws Exception {
            fixture = new PacketFixture(suite);
        }
    }

    /** A new reply block and its reply, already through the 2 reply relays: one per {@link #surbOpen}. */
    @State(Scope.Thread)
    public static class FreshReply {
        SurbPair pair;
        byte[] packet;

        @Setup(Level.Invocation)
        public void setup(Network n) throws OnionException {
            pair = n.fixture.newReplyBlock();
            packet = n.fixture.replyAtRequester(pair);
        }
    }

    @Benchmark
    public Unwrapped unwrapRelay(Network n) throws OnionException {
        return n.fixture.format.unwrap(n.fixture.relayKeys.get(0), n.fixture.request);
    }

    @Benchmark
    public Unwrapped unwrapDeliver(Network n) throws OnionException {
        return n.fixture.format.unwrap(n.fixture.relayKeys.get(2), n.fixture.requestAtExit);
    }

    @Benchmark
    public SecretBytes kemDecaps(Network n) throws CryptoException {
        return n.fixture.suite.kem().decapsulate(n.fixture.relayKeys.get(0), n.fixture.ciphertext);
    }

    @Benchmark
    public Packet forward3(Network n) throws OnionException {
        return n.fixture.format.forward(n.fixture.route, n.fixture.requestMessage);
    }

    @Benchmark
    public SurbPair newSurb2(Network n) throws OnionException {
        return n.fixture.newReplyBlock();
    }

    @Benchmark
    public Packet reply(Network n) throws OnionException {
        return n.fixture.format.reply(n.fixture.surb.surb(), n.fixture.replyMessage);
    }

    @Benchmark
    public byte[] surbOpen(FreshReply r) throws OnionException {
        return r.pair.secrets().open(r.packet);
    }

    /** The benchmark methods, in table order. */
    static final List<String> METHODS = List.of("unwrapRelay", "unwrapDeliver", "kemDecaps", "forward3", "newSurb2", "reply", "surbOpen");
}
