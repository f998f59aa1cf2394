package org.qdht.benchmarks.onion.packets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Part 1 inside {@code mvn verify}: surefire runs this class (and only this one), which runs
 * {@link OnionPacketBenchmarks} with the settings of the system properties (the pom sets
 * {@code bench.out} and {@code bench.csv}). JMH forks its JVMs with surefire's class path. Fails
 * only if a benchmark failed (its setup checks that packets travel their route and replies open).
 */
class PacketBenchmarksRun {
    @Test
    void packetProcessing() throws Exception {
        assertEquals(0, OnionPacketBenchmarks.run(OnionPacketBenchmarks.Settings.fromSystemProperties()), "benchmarks failed");
    }
}
