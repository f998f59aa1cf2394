package org.qdht.fl.core;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Partitions of a data set among clients, as in McMahan et al. 2017 section 3: IID (a random
 * permutation cut into equal parts) and pathological non-IID (examples sorted by label, cut into
 * shards, each client given a few random shards, so most clients see only two digits). Each
 * result is one array of example indices per client; no example is given twice.
 */
public final class Splits {
    private Splits() {
    }

    /** {@code clients} parts of {@code perClient} random examples each. */
    public static int[][] iid(Dataset data, int clients, int perClient, long seed) {
        requireFits(data, clients, perClient);
        int[] order = permutation(data.size(), new SplittableRandom(seed));
        int[][] parts = new int[clients][];
        for (int c = 0; c < clients; c++) {
            parts[c] = Arrays.copyOfRange(order, c * perClient, (c + 1) * perClient);
        }
        return parts;
    }

    /**
     * Sorts by label (ties by index, so the result is reproducible), cuts the first
     * {@code shards * shardSize} examples into shards and gives each client {@code shardsPerClient}
     * random shards; {@code shards} must be a multiple of {@code shardsPerClient}.
     */
    public static int[][] pathologicalNonIid(Dataset data, int shards, int shardSize, int shardsPerClient, long seed) {
        if (shardsPerClient < 1 || shards % shardsPerClient != 0) {
            throw new IllegalArgumentException(shards + " shards cannot be dealt " + shardsPerClient + " per client");
        }
        requireFits(data, shards, shardSize);
        int[] byLabel = IntStream.range(0, data.size()).boxed()
                .sorted(Comparator.comparingInt(data::label).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        int[] shardOrder = permutation(shards, new SplittableRandom(seed));
        int clients = shards / shardsPerClient;
        int[][] parts = new int[clients][shardsPerClient * shardSize];
        for (int c = 0; c < clients; c++) {
            for (int s = 0; s < shardsPerClient; s++) {
                int shard = shardOrder[c * shardsPerClient + s];
                System.arraycopy(byLabel, shard * shardSize, parts[c], s * shardSize, shardSize);
            }
        }
        return parts;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        shuffle(p, rng);
        return p;
    }

    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void requireFits(Dataset data, int parts, int partSize) {
        if (parts < 1 || partSize < 1 || (long) parts * partSize > data.size()) {
            throw new IllegalArgumentException(parts + " parts of " + partSize + " examples need "
                    + (long) parts * partSize + ", the data set has " + data.size());
        }
    }
}
