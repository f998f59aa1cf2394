package org.qdht.benchmarks.fl;

import static org.qdht.benchmarks.fl.FlBenchmark.fmt;
import static org.qdht.benchmarks.fl.FlBenchmark.median;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;
import org.qdht.crypto.bc.Suites;
import org.qdht.fl.core.Dataset;
import org.qdht.fl.core.FedAvg;
import org.qdht.fl.core.MnistExperiment;
import org.qdht.fl.core.MnistFiles;
import org.qdht.fl.core.Model;
import org.qdht.fl.core.Splits;
import org.qdht.fl.core.TwoNN;
import org.qdht.fl.secagg.Aggregate;
import org.qdht.fl.secagg.AggregationClient;
import org.qdht.fl.secagg.AggregationServer;
import org.qdht.fl.secagg.Quantizer;
import org.qdht.fl.secagg.SecAggMessage;
import org.qdht.fl.secagg.SecAggMessages;

/**
 * FedAvg rounds on the IID split whose aggregate goes through secure aggregation. Each round the
 * 10 sampled clients train the 2NN from the global model as {@code FederatedSimulation} does (E = 1,
 * B = 10, in parallel); then, timed apart:
 * <ul>
 * <li>plain FedAvg: fl-core's {@code FedAvg.weightedAverage} of the float updates;</li>
 * <li>secure aggregation: each update quantised with {@link Quantizer#forClients} (range r, the finest
 * step for 10 clients, nearest rounding), one {@link AggregationClient} per client and an
 * {@link AggregationServer} with the real X-Wing + ML-DSA-65 suite, every message encoded and
 * decoded with {@link SecAggMessages} as a transport would (bytes counted per client and direction),
 * the sum dequantised and divided by the number of contributors.</li>
 * </ul>
 * Weights: every client of these splits holds 600 examples, so the weighted mean sum(n_k d_k) /
 * sum(n_k) equals the plain mean and clients send their quantised delta alone (equal weights);
 * the run checks that all sample counts are equal. The dequantised mean is checked against the
 * exact weighted mean entry by entry (at most step/2 plus what clipping to [-r, r] removed), and
 * the global model moves by the securely aggregated mean, so the accuracy is that of secure FedAvg.
 */
final class SecAggRounds {
    record Round(int round, double accuracy, long trainNanos, long plainNanos, long evalNanos, long quantizeNanos,
            long clientNanos, long maxClientNanos, long serverNanos, long codecNanos, long secureNanos, long bytesUp,
            long minUp, long maxUp, long bytesDown, double maxDiffExact, double boundExact, double maxDiffModel,
            long clipped, double maxAbsEntry, double medianNorm) {
    }

    private SecAggRounds() {
    }

    static String run(MnistFiles files, FlBenchmark.Settings s, PrintStream out) throws Exception {
        Model model = TwoNN.MNIST;
        Dataset train = files.train();
        Dataset test = files.test();
        int[][] clients = Splits.iid(train, MnistExperiment.CLIENTS, MnistExperiment.EXAMPLES_PER_CLIENT, s.seed());
        int k = clients.length;
        int m = Math.max((int) Math.round(PaperRounds.CLIENT_FRACTION * k), 1);
        Quantizer quantizer = Quantizer.forClients(s.secaggRange(), m);
        SecureRandom random = new SecureRandom();
        CryptoSuite suite = Suites.xwingMlDsa65(random);
        SplittableRandom rng = new SplittableRandom(s.seed());
        float[] global = model.initialParameters(rng.nextLong());
        int dimension = global.length;
        List<Round> rounds = new ArrayList<>();
        long start = System.nanoTime();
        for (int round = 1; round <= s.secaggRounds(); round++) {
            int[] sampled = sample(k, m, rng);
            SplittableRandom[] clientRng = new SplittableRandom[m];
            for (int i = 0; i < m; i++) {
                clientRng[i] = rng.split();
            }
            float[] base = global;
            long version = round - 1;
            ModelUpdate[] updates = new ModelUpdate[m];
            long t0 = System.nanoTime();
            IntStream.range(0, m).parallel().forEach(i -> updates[i] = localUpdate(model, train, base, version,
                    clients[sampled[i]], s.secaggLearningRate(), clientRng[i]));
            long trainNanos = System.nanoTime() - t0;

            long t1 = System.nanoTime();
            float[] plain = FedAvg.weightedAverage(List.of(updates));
            long plainNanos = System.nanoTime() - t1;

            Secure secure = aggregate(suite, random, round, quantizer, updates, sampled);
            float[] mean = secure.mean();

            // the check: the exact weighted mean in double against the integer sum read back in double
            double[] exact = new double[dimension];
            double[] clipExcess = new double[dimension];
            double totalWeight = 0;
            long clipped = 0;
            double maxAbs = 0;
            double[] norms = new double[m];
            for (int c = 0; c < m; c++) {
                ModelUpdate u = updates[c];
                if (u.sampleCount() != updates[0].sampleCount()) {
                    throw new IllegalStateException("equal weights assume equal sample counts, got " + u.sampleCount()
                            + " and " + updates[0].sampleCount());
                }
                double norm = 0;
                for (int i = 0; i < dimension; i++) {
                    double v = u.delta().get(i);
                    exact[i] += u.sampleCount() * v;
                    double a = Math.abs(v);
                    norm += v * v;
                    maxAbs = Math.max(maxAbs, a);
                    if (a > quantizer.range()) {
                        clipped++;
                        clipExcess[i] += a - quantizer.range();
                    }
                }
                norms[c] = Math.sqrt(norm);
                totalWeight += u.sampleCount();
            }
            int n = secure.aggregate().contributors().size();
            int[] sum = secure.aggregate().sum();
            double maxDiffExact = 0;
            double maxDiffModel = 0;
            double worstBound = quantizer.step() / 2;
            for (int i = 0; i < dimension; i++) {
                double ref = exact[i] / totalWeight;
                double got = sum[i] / quantizer.scale() / n;
                double diff = Math.abs(got - ref);
                double bound = quantizer.step() / 2 + clipExcess[i] / n + 1e-12;
                if (diff > bound) {
                    throw new IllegalStateException(fmt("round %d, entry %d: secure mean %.10g, plain mean %.10g, difference %.3g "
                            + "beyond the quantiser's bound %.3g", round, i, got, ref, diff, bound));
                }
                maxDiffExact = Math.max(maxDiffExact, diff);
                worstBound = Math.max(worstBound, bound);
                maxDiffModel = Math.max(maxDiffModel, Math.abs(mean[i] - plain[i]));
            }

            float[] next = global.clone();
            for (int i = 0; i < dimension; i++) {
                next[i] += mean[i];
            }
            global = next;
            long t2 = System.nanoTime();
            double accuracy = model.accuracy(global, test);
            long evalNanos = System.nanoTime() - t2;
            Round r = new Round(round, accuracy, trainNanos, plainNanos, evalNanos, secure.quantizeNanos(), secure.clientNanos(),
                    secure.maxClientNanos(), secure.serverNanos(), secure.codecNanos(), secure.wallNanos(), secure.bytesUp(),
                    secure.minUp(), secure.maxUp(), secure.bytesDown(), maxDiffExact, worstBound, maxDiffModel, clipped, maxAbs,
                    median(norms));
            rounds.add(r);
            if (round == 1 || round % s.progressEvery() == 0 || round == s.secaggRounds()) {
                out.println(fmt("[fl] secagg: round %d, accuracy %.4f, training %.0f ms, secure aggregation %.0f ms, "
                        + "max |secure - plain| %.3g (bound %.3g), %.1f s", round, accuracy, trainNanos / 1e6, secure.wallNanos() / 1e6,
                        maxDiffExact, worstBound, (System.nanoTime() - start) / 1e9));
            }
        }
        return table(rounds, quantizer, m, dimension, s);
    }

    /** What one secure aggregation cost, with its result. */
    record Secure(Aggregate aggregate, float[] mean, long quantizeNanos, long clientNanos, long maxClientNanos, long serverNanos,
            long codecNanos, long wallNanos, long bytesUp, long minUp, long maxUp, long bytesDown) {
    }

    /** One round of the protocol between 10 clients and the server, in this thread; client ids are client numbers + 1. */
    private static Secure aggregate(CryptoSuite suite, SecureRandom random, long round, Quantizer quantizer, ModelUpdate[] updates,
            int[] sampled) throws Exception {
        long wallStart = System.nanoTime();
        int m = updates.length;
        int dimension = updates[0].delta().dimension();
        Map<Integer, AggregationClient> clients = new TreeMap<>();
        Map<Integer, int[]> inputs = new TreeMap<>();
        Map<Integer, Long> clientNanos = new TreeMap<>();
        Map<Integer, Long> up = new TreeMap<>();
        long[] down = new long[1];
        long[] codec = new long[1];
        long quantizeNanos = 0;
        for (int c = 0; c < m; c++) {
            int id = sampled[c] + 1;
            long t = System.nanoTime();
            inputs.put(id, quantizer.quantize(updates[c].delta().values(), Quantizer.Rounding.NEAREST, 0));
            long q = System.nanoTime() - t;
            quantizeNanos += q;
            clientNanos.put(id, q);
            up.put(id, 0L);
            clients.put(id, new AggregationClient(suite, random, round, id));
        }
        AggregationServer server = new AggregationServer(round, dimension);
        long[] serverNanos = new long[1];

        for (AggregationClient c : clients.values()) {
            long t = System.nanoTime();
            SecAggMessage msg = c.advertise();
            clientNanos.merge(c.id(), System.nanoTime() - t, Long::sum);
            toServer(server, msg, c.id(), up, codec, serverNanos);
        }
        long t = System.nanoTime();
        SecAggMessage.Cohort cohort = server.closeAdvertising();
        serverNanos[0] += System.nanoTime() - t;
        for (AggregationClient c : clients.values()) {
            SecAggMessage.Cohort received = (SecAggMessage.Cohort) transport(cohort, down, codec);
            long tc = System.nanoTime();
            SecAggMessage msg = c.onCohort(received);
            clientNanos.merge(c.id(), System.nanoTime() - tc, Long::sum);
            toServer(server, msg, c.id(), up, codec, serverNanos);
        }
        t = System.nanoTime();
        Map<Integer, SecAggMessage.CiphertextDelivery> deliveries = server.closePairwise();
        serverNanos[0] += System.nanoTime() - t;
        for (Map.Entry<Integer, SecAggMessage.CiphertextDelivery> d : deliveries.entrySet()) {
            AggregationClient c = clients.get(d.getKey());
            SecAggMessage.CiphertextDelivery received = (SecAggMessage.CiphertextDelivery) transport(d.getValue(), down, codec);
            long tc = System.nanoTime();
            SecAggMessage msg = c.onCiphertexts(received, inputs.get(c.id()));
            clientNanos.merge(c.id(), System.nanoTime() - tc, Long::sum);
            toServer(server, msg, c.id(), up, codec, serverNanos);
        }
        t = System.nanoTime();
        Map<Integer, SecAggMessage.UnmaskingRequest> requests = server.closeMaskedInput();
        serverNanos[0] += System.nanoTime() - t;
        for (Map.Entry<Integer, SecAggMessage.UnmaskingRequest> r : requests.entrySet()) {
            AggregationClient c = clients.get(r.getKey());
            SecAggMessage.UnmaskingRequest received = (SecAggMessage.UnmaskingRequest) transport(r.getValue(), down, codec);
            long tc = System.nanoTime();
            SecAggMessage msg = c.onUnmaskingRequest(received);
            clientNanos.merge(c.id(), System.nanoTime() - tc, Long::sum);
            toServer(server, msg, c.id(), up, codec, serverNanos);
        }
        if (!server.canFinish()) {
            throw new IllegalStateException("round " + round + ": the server cannot finish although every client answered");
        }
        t = System.nanoTime();
        Aggregate aggregate = server.finish();
        float[] sum = aggregate.dequantize(quantizer);
        float[] mean = new float[sum.length];
        int n = aggregate.contributors().size();
        for (int i = 0; i < sum.length; i++) {
            mean[i] = sum[i] / n;
        }
        serverNanos[0] += System.nanoTime() - t;
        long wall = System.nanoTime() - wallStart;
        long totalClient = clientNanos.values().stream().mapToLong(Long::longValue).sum();
        long maxClient = clientNanos.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long totalUp = up.values().stream().mapToLong(Long::longValue).sum();
        return new Secure(aggregate, mean, quantizeNanos, totalClient, maxClient, serverNanos[0], codec[0], wall, totalUp,
                up.values().stream().mapToLong(Long::longValue).min().orElse(0),
                up.values().stream().mapToLong(Long::longValue).max().orElse(0), down[0]);
    }

    private static void toServer(AggregationServer server, SecAggMessage message, int from, Map<Integer, Long> up, long[] codec,
            long[] serverNanos) throws Exception {
        long[] bytes = new long[1];
        SecAggMessage received = transport(message, bytes, codec);
        up.merge(from, bytes[0], Long::sum);
        long t = System.nanoTime();
        server.receive(received);
        serverNanos[0] += System.nanoTime() - t;
    }

    /** Encodes and decodes as a transport would; counts the bytes and the codec's time. */
    private static SecAggMessage transport(SecAggMessage message, long[] bytes, long[] codec) throws Exception {
        long t = System.nanoTime();
        byte[] wire = SecAggMessages.encode(message);
        SecAggMessage back = SecAggMessages.decode(wire);
        codec[0] += System.nanoTime() - t;
        bytes[0] += wire.length;
        return back;
    }

    /** m distinct clients of k, uniformly: the first m of a partial Fisher-Yates shuffle. */
    private static int[] sample(int k, int m, SplittableRandom rng) {
        int[] p = IntStream.range(0, k).toArray();
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(k - i);
            int x = p[i];
            p[i] = p[j];
            p[j] = x;
        }
        return java.util.Arrays.copyOf(p, m);
    }

    /** What {@code FederatedSimulation} does for one client: train a copy of the global model, return the change. */
    private static ModelUpdate localUpdate(Model model, Dataset train, float[] global, long version, int[] examples,
            double learningRate, SplittableRandom rng) {
        float[] local = global.clone();
        model.train(local, train, examples, PaperRounds.EPOCHS, Math.min(PaperRounds.BATCH, examples.length), (float) learningRate, rng);
        for (int i = 0; i < local.length; i++) {
            local[i] -= global[i];
        }
        return new ModelUpdate(version, ModelParameters.of(local), examples.length, Map.of());
    }

    private static String table(List<Round> rounds, Quantizer quantizer, int m, int dimension, FlBenchmark.Settings s) {
        // round 1 warms the JIT up for training and for the protocol alike: medians over rounds 2..R when there are any
        List<Round> measured = rounds.size() > 1 ? rounds.subList(1, rounds.size()) : rounds;
        double train = med(measured, r -> r.trainNanos() / 1e6);
        double plainAgg = med(measured, r -> r.plainNanos() / 1e6);
        double eval = med(measured, r -> r.evalNanos() / 1e6);
        double secure = med(measured, r -> r.secureNanos() / 1e6);
        double plainRound = train + plainAgg + eval;
        double clientPer = med(measured, r -> r.clientNanos() / 1e6 / m);
        double clientMax = med(measured, r -> r.maxClientNanos() / 1e6);
        double quantizePer = med(measured, r -> r.quantizeNanos() / 1e6 / m);
        double server = med(measured, r -> r.serverNanos() / 1e6);
        double codec = med(measured, r -> r.codecNanos() / 1e6);
        double upPer = med(rounds, r -> (double) r.bytesUp() / m);
        double downPer = med(rounds, r -> (double) r.bytesDown() / m);
        long minUp = rounds.stream().mapToLong(Round::minUp).min().orElse(0);
        long maxUp = rounds.stream().mapToLong(Round::maxUp).max().orElse(0);
        long plainBytes = 4L * dimension;
        double maxDiff = largest(rounds, Round::maxDiffExact);
        double maxModelDiff = largest(rounds, Round::maxDiffModel);
        long clipped = rounds.stream().mapToLong(Round::clipped).sum();
        double maxAbs = largest(rounds, Round::maxAbsEntry);
        Round last = rounds.get(rounds.size() - 1);

        StringBuilder b = new StringBuilder();
        b.append(fmt("## Secure aggregation: %d FedAvg rounds (IID, 2NN, C = 0.1, E = 1, B = 10, lr %s), X-Wing + ML-DSA-65%n%n",
                rounds.size(), s.secaggLearningRate()));
        b.append(fmt("Each round the %d sampled clients' updates (%,d parameters) were quantised (`Quantizer.forClients(%s, %d)`: "
                + "entries clipped to [-%s, %s], step %.3g, nearest rounding) and summed by `AggregationClient` x %d and "
                + "`AggregationServer` with `Suites.xwingMlDsa65`, every message through the codec; the dequantised sum / %d "
                + "moved the global model. **Weights: equal** (every client has 600 examples, so sum(n_k d_k) / sum(n_k) is the "
                + "plain mean; checked each round). Everything runs in one thread of one process, so the secure aggregation "
                + "time below is all 10 clients' work plus the server's, one after the other. Timings are medians of rounds 2-%d "
                + "(round 1 warms the JIT up).%n%n",
                m, dimension, quantizer.range(), m, quantizer.range(), quantizer.range(), quantizer.step(), m, m, rounds.size()));
        b.append("| per round | plain FedAvg | with secure aggregation |\n|---|--:|--:|\n");
        b.append(fmt("| local training, 10 clients in parallel on this machine | %.0f ms | %.0f ms |%n", train, train));
        b.append(fmt("| aggregation | %.1f ms (`FedAvg.weightedAverage`) | **%.0f ms** (all clients and the server) |%n", plainAgg, secure));
        b.append(fmt("| test-set evaluation | %.0f ms | %.0f ms |%n", eval, eval));
        b.append(fmt("| **round** | **%.0f ms** | **%.0f ms (x%.2f)** |%n", plainRound, plainRound - plainAgg + secure,
                (plainRound - plainAgg + secure) / plainRound));
        b.append(fmt("| accuracy after round %d | see the IID table | %.4f |%n%n", last.round(), last.accuracy()));
        b.append("| secure aggregation, in detail | |\n|---|--:|\n");
        b.append(fmt("| one client's computing (quantise, key pair, %d encapsulations or decapsulations, masks, shares, unmasking), mean | %.1f ms |%n", m - 1, clientPer));
        b.append(fmt("| the slowest client of a round | %.1f ms |%n", clientMax));
        b.append(fmt("| of which quantising one update | %.1f ms |%n", quantizePer));
        b.append(fmt("| server computing per round (routing, running sum, Shamir reconstruction, mask removal, dequantising) | %.1f ms |%n", server));
        b.append(fmt("| encoding and decoding all messages of a round | %.1f ms |%n", codec));
        b.append(fmt("| extra wall time per round here (secure aggregation - `FedAvg.weightedAverage`) | **%.0f ms** |%n", secure - plainAgg));
        b.append(fmt("| extra latency per round with clients in parallel (slowest client + server), network excluded | %.0f ms |%n%n",
                clientMax + server));
        b.append("| bytes per client and round | plain FedAvg | with secure aggregation |\n|---|--:|--:|\n");
        b.append(fmt("| sent | %,d B (4 x %,d floats) | **%,.0f B (x%.3f)**, min %,d, max %,d |%n", plainBytes, dimension, upPer,
                upPer / plainBytes, minUp, maxUp));
        b.append(fmt("| received, besides the global model both download | 0 | %,.0f B |%n%n", downPer));
        b.append(fmt("**Check**: in every round and every entry, |secure mean - exact weighted mean| <= step/2 + clipping loss: "
                + "largest difference **%.3g** against step/2 = %.3g; %,d entries were beyond the range [-%s, %s] (largest |entry| "
                + "%.3g). Against fl-core's float `FedAvg.weightedAverage` (both rounded to float) the largest difference was %.3g. "
                + "Median L2 norm of an update: round 1 %.3g, round %d %.3g.%n",
                maxDiff, quantizer.step() / 2, clipped, quantizer.range(), quantizer.range(), maxAbs, maxModelDiff,
                rounds.get(0).medianNorm(), last.round(), last.medianNorm()));
        return b.toString();
    }

    private static double med(List<Round> rounds, Function<Round, Double> f) {
        double[] values = new double[rounds.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.apply(rounds.get(i));
        }
        return median(values);
    }

    private static double largest(List<Round> rounds, Function<Round, Double> f) {
        double max = Double.NaN;
        for (Round r : rounds) {
            double v = f.apply(r);
            max = Double.isNaN(max) ? v : Math.max(max, v);
        }
        return max;
    }
}
