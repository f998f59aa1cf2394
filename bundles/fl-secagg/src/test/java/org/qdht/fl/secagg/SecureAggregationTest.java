package org.qdht.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.qdht.fl.secagg.RoundSimulation.Silence;

/** The unmasked sum equals the plain sum exactly, with and without dropouts; too many dropouts are refused. */
class SecureAggregationTest {

    @ParameterizedTest
    @ValueSource(ints = {3, 10, 30})
    void sumIsExactWithoutDropouts(int n) throws Exception {
        RoundSimulation.Outcome o = new RoundSimulation(n, 1_000, n).run();
        assertEquals(n, o.aggregate().contributors().size());
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 10, 30})
    void sumIsExactWhenOneClientDropsBeforeMaskedInput(int n) throws Exception {
        RoundSimulation.Outcome o = new RoundSimulation(n, 1_000, 100 + n).silence(Silence.BEFORE_MASKED_INPUT, n / 2).run();
        assertEquals(n - 1, o.aggregate().contributors().size());
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 10, 30})
    void sumIsExactWhenOneClientDropsAfterMaskedInput(int n) throws Exception {
        RoundSimulation.Outcome o = new RoundSimulation(n, 1_000, 200 + n).silence(Silence.BEFORE_UNMASKING, 0).run();
        // a client that sent its masked vector counts, even though it no longer answers
        assertEquals(n, o.aggregate().contributors().size());
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 10, 30})
    void sumIsExactWhenAThirdDropsBeforeMaskedInput(int n) throws Exception {
        int[] dropped = IntStream.range(0, n / 3).map(i -> 3 * i).toArray();
        RoundSimulation.Outcome o = new RoundSimulation(n, 1_000, 300 + n).silence(Silence.BEFORE_MASKED_INPUT, dropped).run();
        assertEquals(n - n / 3, o.aggregate().contributors().size());
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 10, 30})
    void sumIsExactWhenAThirdDropsAfterMaskedInput(int n) throws Exception {
        int[] dropped = IntStream.range(0, n / 3).map(i -> n - 1 - 2 * i).toArray();
        RoundSimulation.Outcome o = new RoundSimulation(n, 1_000, 400 + n).silence(Silence.BEFORE_UNMASKING, dropped).run();
        assertEquals(n, o.aggregate().contributors().size());
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
    }

    @Test
    void sumIsExactWhenClientsDropInPhaseOneAndBeforeMaskedInput() throws Exception {
        RoundSimulation.Outcome o = new RoundSimulation(10, 1_000, 500).silence(Silence.BEFORE_CIPHERTEXTS, 9)
                .silence(Silence.BEFORE_MASKED_INPUT, 0, 4).run();
        assertEquals(RoundSimulation.ids(1, 2, 3, 5, 6, 7, 8), o.aggregate().contributors());
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
    }

    @Test
    void largeVectorWithAThirdDroppedBeforeMaskedInput() throws Exception {
        RoundSimulation.Outcome o = new RoundSimulation(10, 200_000, 600).silence(Silence.BEFORE_MASKED_INPUT, 1, 5, 8).run();
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
    }

    @Test
    void largeVectorWithOneDroppedAfterMaskedInput() throws Exception {
        RoundSimulation.Outcome o = new RoundSimulation(3, 200_000, 700).silence(Silence.BEFORE_UNMASKING, 2).run();
        assertArrayEquals(o.expectedSum(), o.aggregate().sum());
    }

    @Test
    void quantisedFloatUpdatesSumToTheFloatSum() throws Exception {
        int n = 10;
        Quantizer q = Quantizer.forClients(1.0, n);
        float[][] updates = new float[n][];
        RoundSimulation.Outcome o = new RoundSimulation(n, 5_000, 800).inputs((id, length, random) -> {
            float[] u = new float[length];
            for (int i = 0; i < length; i++) {
                u[i] = (float) (random.nextGaussian() * 0.3);
            }
            updates[(id - 3) / 7] = u;
            return q.quantize(u, Quantizer.Rounding.STOCHASTIC, id);
        }).silence(Silence.BEFORE_MASKED_INPUT, 4).run();
        float[] sum = o.aggregate().dequantize(q);
        for (int i = 0; i < sum.length; i++) {
            double plain = 0;
            for (int c = 0; c < n; c++) {
                if (c != 4) {
                    plain += Math.max(-1, Math.min(1, updates[c][i]));
                }
            }
            // each of the 9 contributions is off by less than one step, plus float rounding of the result
            assertEquals(plain, sum[i], 9 * q.step() + 1e-6, "entry " + i);
        }
    }

    @Test
    void moreThanAThirdDroppedBeforeMaskedInputIsRefused() {
        SecAggException e = assertThrows(SecAggException.class,
                () -> new RoundSimulation(10, 100, 900).silence(Silence.BEFORE_MASKED_INPUT, 0, 1, 2, 3).run());
        assertEquals(SecAggException.Reason.TOO_FEW_SURVIVORS, e.reason());
    }

    @Test
    void moreThanAThirdSilentInUnmaskingIsRefused() {
        SecAggException e = assertThrows(SecAggException.class,
                () -> new RoundSimulation(10, 100, 901).silence(Silence.BEFORE_UNMASKING, 0, 1, 2, 3).run());
        assertEquals(SecAggException.Reason.TOO_FEW_SURVIVORS, e.reason());
    }

    @Test
    void tooManyDroppedInPhaseOneIsRefused() {
        SecAggException e = assertThrows(SecAggException.class,
                () -> new RoundSimulation(3, 100, 902).silence(Silence.BEFORE_CIPHERTEXTS, 0, 1).run());
        assertEquals(SecAggException.Reason.TOO_FEW_SURVIVORS, e.reason());
    }

    @Test
    void dropoutsOnBothSidesOfMaskedInputLackSeeds() {
        SecAggException e = assertThrows(SecAggException.class, () -> new RoundSimulation(10, 100, 903)
                .silence(Silence.BEFORE_MASKED_INPUT, 0).silence(Silence.BEFORE_UNMASKING, 5).run());
        assertEquals(SecAggException.Reason.SEEDS_MISSING, e.reason());
    }
}
