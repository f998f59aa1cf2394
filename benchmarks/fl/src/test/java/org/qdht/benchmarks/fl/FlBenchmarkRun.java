package org.qdht.benchmarks.fl;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * The benchmark inside {@code mvn verify}: surefire runs this class (and only this one), which runs
 * {@link FlBenchmark} with the settings of the system properties (the pom sets {@code bench.out}
 * and the MNIST cache). It fails only if a part fails: MNIST cannot be read, the secure aggregate
 * differs from the plain mean by more than the quantiser allows, or the protocol refuses a round.
 * Nothing is asserted about accuracy or time.
 */
class FlBenchmarkRun {
    @Test
    void federatedLearning() throws Exception {
        assertFalse(FlBenchmark.run(FlBenchmark.Settings.fromSystemProperties(), System.out).isEmpty(), "no tables written");
    }
}
