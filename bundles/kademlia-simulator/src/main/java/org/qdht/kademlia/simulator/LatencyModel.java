package org.qdht.kademlia.simulator;

import java.util.SplittableRandom;

/**
 * How long one message takes from sender to receiver. A model may give every node a fixed share of
 * the delay (its access link: fibre, DSL, a phone on LTE), drawn once when the node is created, so
 * that the round trips between two given nodes are steady, as they are on real paths.
 */
public interface LatencyModel {
    /** The fixed share of every delay to or from one node, in microseconds; drawn once per node. */
    default long nodeDelayMicros(SplittableRandom random) {
        return 0;
    }

    /** One-way delay of one message between nodes with fixed shares {@code fromMicros} and {@code toMicros}. */
    long sampleMicros(long fromMicros, long toMicros, SplittableRandom random);

    /** A standard normal draw (Box-Muller: SplittableRandom has no nextGaussian on Java 17). */
    static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble(); // (0, 1], so the log is finite
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
