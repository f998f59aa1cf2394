package org.qdht.kademlia.simulator;

import java.util.SplittableRandom;

/**
 * Every message's delay drawn afresh from one log-normal distribution, whoever sends it: a stress
 * case, since even the round trips between two given nodes then vary with the whole heavy tail,
 * which real paths do not. With median 40 ms and sigma 0.7 the 95th percentile is about 126 ms
 * and the 99th about 204 ms; a floor keeps the delay physical.
 *
 * @param medianMillis the median one-way delay
 * @param sigma        spread of the underlying normal distribution; larger means a heavier tail
 * @param floorMillis  smallest delay
 */
public record LogNormalLatency(double medianMillis, double sigma, double floorMillis) implements LatencyModel {
    public LogNormalLatency {
        if (medianMillis <= 0 || sigma < 0 || floorMillis < 0) {
            throw new IllegalArgumentException("median must be positive, sigma and floor not negative");
        }
    }

    public static LogNormalLatency defaults() {
        return new LogNormalLatency(40, 0.7, 2);
    }

    @Override
    public long sampleMicros(long fromMicros, long toMicros, SplittableRandom random) {
        double millis = medianMillis * Math.exp(sigma * LatencyModel.gaussian(random));
        return (long) (Math.max(floorMillis, millis) * 1_000);
    }
}
