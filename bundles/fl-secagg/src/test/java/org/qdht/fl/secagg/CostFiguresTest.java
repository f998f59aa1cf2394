package org.qdht.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * Prints what a round costs (not asserted: figures depend on the machine). The test runs 100
 * clients with a tenth of the 199,210-parameter model to stay quick; {@link #main} runs any size:
 * {@code java -cp ... org.qdht.fl.secagg.CostFiguresTest 100 199210 10}.
 */
class CostFiguresTest {
    @Test
    void printCostsOfAHundredClientRound() throws Exception {
        measure(100, 19_921, 10);
    }

    public static void main(String[] args) throws Exception {
        measure(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    }

    static void measure(int clients, int parameters, int droppedBeforeMasking) throws Exception {
        int[] dropped = new int[droppedBeforeMasking];
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = i * 3;
        }
        RoundSimulation.Outcome o = new RoundSimulation(clients, parameters, 99)
                .silence(RoundSimulation.Silence.BEFORE_MASKED_INPUT, dropped).run();
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
        long plain = 4L * parameters;
        System.out.printf("secure aggregation, X-Wing, %d clients x %,d parameters, %d dropped before masked input:%n", clients, parameters, droppedBeforeMasking);
        System.out.printf("  per client: sent %,d B, received %,d B; plain float update %,d B (upload x%.3f)%n",
                o.bytesUpPerClient(), o.bytesDownPerClient(), plain, (double) o.bytesUpPerClient() / plain);
        System.out.printf("  per client: %.1f ms computing; server: %.1f ms in total%n", o.clientNanos() / 1e6, o.serverNanos() / 1e6);
    }
}
