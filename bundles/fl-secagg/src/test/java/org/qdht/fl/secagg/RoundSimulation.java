package org.qdht.fl.secagg;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.wire.WireFormatException;
import org.qdht.crypto.bc.Suites;

/**
 * Runs one round between a server and n clients, every message encoded and decoded on the way as
 * a transport would. A client may go silent at a chosen phase. Records the bytes each client sent
 * and received and the time clients and server spent computing.
 */
final class RoundSimulation {
    /** The last phase a client takes part in: it sends nothing from that phase on. */
    enum Silence { NONE, BEFORE_CIPHERTEXTS, BEFORE_MASKED_INPUT, BEFORE_UNMASKING }

    record Outcome(Aggregate aggregate, int[] expectedSum, Map<Integer, int[]> inputs, Map<Integer, SecAggMessage.MaskedInput> masked,
            long bytesUpPerClient, long bytesDownPerClient, long clientNanos, long serverNanos) {
    }

    static final long ROUND = 42;

    private final int clients;
    private final int length;
    private final Map<Integer, Silence> silent = new TreeMap<>();
    private final long seed;
    private InputSource inputs = (id, length, random) -> random.ints(length).toArray();

    interface InputSource {
        int[] input(int id, int length, SecureRandom random);
    }

    RoundSimulation(int clients, int length, long seed) {
        this.clients = clients;
        this.length = length;
        this.seed = seed;
    }

    /** Client ids are spaced out, so nothing depends on them being 1..n. */
    static int idOf(int index) {
        return 7 * index + 3;
    }

    RoundSimulation silence(Silence when, int... indexes) {
        for (int i : indexes) {
            silent.put(idOf(i), when);
        }
        return this;
    }

    RoundSimulation inputs(InputSource source) {
        this.inputs = source;
        return this;
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Outcome run() throws SecAggException, WireFormatException {
        SecureRandom random = seeded(seed);
        CryptoSuite suite = Suites.xwingMlDsa65(random);
        AggregationServer server = new AggregationServer(ROUND, length);
        Map<Integer, AggregationClient> all = new TreeMap<>();
        Map<Integer, int[]> inputByClient = new TreeMap<>();
        for (int i = 0; i < clients; i++) {
            all.put(idOf(i), new AggregationClient(suite, random, ROUND, idOf(i)));
            inputByClient.put(idOf(i), inputs.input(idOf(i), length, random));
        }
        long[] up = new long[1];
        long[] down = new long[1];
        long[] clientNanos = new long[1];
        long[] serverNanos = new long[1];

        for (AggregationClient c : all.values()) {
            long t = System.nanoTime();
            SecAggMessage m = c.advertise();
            clientNanos[0] += System.nanoTime() - t;
            deliverToServer(server, m, up, serverNanos);
        }
        SecAggMessage.Cohort cohort = (SecAggMessage.Cohort) timed(server::closeAdvertising, serverNanos);
        for (AggregationClient c : all.values()) {
            SecAggMessage.Cohort received = (SecAggMessage.Cohort) transport(cohort, down);
            if (active(c, Silence.BEFORE_CIPHERTEXTS)) {
                long t = System.nanoTime();
                SecAggMessage m = c.onCohort(received);
                clientNanos[0] += System.nanoTime() - t;
                deliverToServer(server, m, up, serverNanos);
            }
        }
        Map<Integer, SecAggMessage.CiphertextDelivery> deliveries = timed(server::closePairwise, serverNanos);
        Map<Integer, SecAggMessage.MaskedInput> maskedById = new TreeMap<>();
        for (Map.Entry<Integer, SecAggMessage.CiphertextDelivery> d : deliveries.entrySet()) {
            AggregationClient c = all.get(d.getKey());
            SecAggMessage.CiphertextDelivery received = (SecAggMessage.CiphertextDelivery) transport(d.getValue(), down);
            if (active(c, Silence.BEFORE_MASKED_INPUT)) {
                long t = System.nanoTime();
                SecAggMessage.MaskedInput m = c.onCiphertexts(received, inputByClient.get(c.id()));
                clientNanos[0] += System.nanoTime() - t;
                maskedById.put(c.id(), m);
                deliverToServer(server, m, up, serverNanos);
            }
        }
        Map<Integer, SecAggMessage.UnmaskingRequest> requests = timed(server::closeMaskedInput, serverNanos);
        for (Map.Entry<Integer, SecAggMessage.UnmaskingRequest> r : requests.entrySet()) {
            AggregationClient c = all.get(r.getKey());
            SecAggMessage.UnmaskingRequest received = (SecAggMessage.UnmaskingRequest) transport(r.getValue(), down);
            if (active(c, Silence.BEFORE_UNMASKING)) {
                long t = System.nanoTime();
                SecAggMessage m = c.onUnmaskingRequest(received);
                clientNanos[0] += System.nanoTime() - t;
                deliverToServer(server, m, up, serverNanos);
            }
        }
        Aggregate aggregate = timed(server::finish, serverNanos);
        int[] expected = new int[length];
        for (int id : maskedById.keySet()) {
            int[] x = inputByClient.get(id);
            for (int i = 0; i < length; i++) {
                expected[i] += x[i];
            }
        }
        return new Outcome(aggregate, expected, inputByClient, maskedById, up[0] / clients, down[0] / clients,
                clientNanos[0] / clients, serverNanos[0]);
    }

    private boolean active(AggregationClient c, Silence from) {
        Silence s = silent.getOrDefault(c.id(), Silence.NONE);
        return s == Silence.NONE || s.ordinal() > from.ordinal();
    }

    private static void deliverToServer(AggregationServer server, SecAggMessage m, long[] up, long[] serverNanos)
            throws SecAggException, WireFormatException {
        SecAggMessage received = transport(m, up);
        long t = System.nanoTime();
        server.receive(received);
        serverNanos[0] += System.nanoTime() - t;
    }

    private static SecAggMessage transport(SecAggMessage m, long[] counter) throws WireFormatException {
        byte[] wire = SecAggMessages.encode(m);
        counter[0] += wire.length;
        return SecAggMessages.decode(wire);
    }

    interface Step<T> {
        T run() throws SecAggException;
    }

    private static <T> T timed(Step<T> step, long[] nanos) throws SecAggException {
        long t = System.nanoTime();
        try {
            return step.run();
        } finally {
            nanos[0] += System.nanoTime() - t;
        }
    }

    static List<Integer> ids(int... indexes) {
        List<Integer> out = new ArrayList<>();
        for (int i : indexes) {
            out.add(idOf(i));
        }
        return out;
    }
}
