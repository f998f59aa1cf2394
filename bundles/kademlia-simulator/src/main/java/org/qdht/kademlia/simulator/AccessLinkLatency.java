package org.qdht.kademlia.simulator;

import java.util.SplittableRandom;

/**
 * The default: each node has an access-link delay drawn once from a log-normal distribution, and a
 * message between two nodes takes the sum of their two delays plus a small exponential jitter
 * (queues). The heavy tail lives in the nodes (a few on slow mobile or satellite links are slow
 * to everyone) rather than in single messages, so round trips between two nodes are steady, as
 * adaptive timeouts expect. With the defaults (access median 17 ms, sigma 0.7, jitter mean 2 ms)
 * one-way delays between random nodes have a median near 40 ms, a 95th percentile near 91 ms and
 * a 99th near 131 ms.
 *
 * @param accessMedianMillis median access-link delay of a node
 * @param sigma              spread of the access delays across nodes
 * @param jitterMeanMillis   mean of the per-message exponential jitter
 */
public record AccessLinkLatency(double accessMedianMillis, double sigma, double jitterMeanMillis) implements LatencyModel {
    public AccessLinkLatency {
        if (accessMedianMillis <= 0 || sigma < 0 || jitterMeanMillis < 0) {
            throw new IllegalArgumentException("access median must be positive, sigma and jitter not negative");
        }
    }

    public static AccessLinkLatency defaults() {
        return new AccessLinkLatency(17, 0.7, 2);
    }

    @Override
    public long nodeDelayMicros(SplittableRandom random) {
        return (long) (accessMedianMillis * Math.exp(sigma * LatencyModel.gaussian(random)) * 1_000);
    }

    @Override
    public long sampleMicros(long fromMicros, long toMicros, SplittableRandom random) {
        double jitter = -jitterMeanMillis * Math.log(1.0 - random.nextDouble());
        return fromMicros + toMicros + (long) (jitter * 1_000);
    }
}
