package org.qdht.fl.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * Reference values from the accountants this one follows:
 * [TFP] tensorflow/privacy, tensorflow_privacy/privacy/analysis/rdp_accountant_test.py;
 * [DPA] google/differential-privacy, python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant_test.py.
 */
class RdpAccountantTest {
    @Test
    void noSamplingGivesNoPrivacyLossAndFullSamplingTheGaussianMechanism() {
        // [TFP] test_compute_rdp_no_data: compute_rdp(0, 10, 1, 20) == 0
        assertEquals(0, SampledGaussianRdp.compute(0, 10, 1, new double[] {20})[0]);
        // [TFP] test_compute_rdp_no_sampling: compute_rdp(1, 10, 1, 20) == 0.1, alpha / (2 sigma^2)
        assertEquals(0.1, SampledGaussianRdp.compute(1, 10, 1, new double[] {20})[0], 1e-15);
        // [DPA] test_compute_rdp_gaussian: alpha = 3.14159, sigma = 2.71828
        assertEquals(3.14159 / (2 * 2.71828 * 2.71828), SampledGaussianRdp.compute(1, 2.71828, 1, new double[] {3.14159})[0], 1e-12);
    }

    @Test
    void integerOrderMatchesTensorFlowPrivacy() {
        // [TFP] test_compute_rdp_scalar: compute_rdp(0.1, 2, 10, 5) == 0.07737 to 5 places
        assertEquals(0.07737, SampledGaussianRdp.compute(0.1, 2, 10, new double[] {5})[0], 5e-6);
    }

    @Test
    void integerAndFractionalOrdersMatchTensorFlowPrivacy() {
        // [TFP] test_compute_rdp_sequence: compute_rdp(0.01, 2.5, 50, orders), to within 1e-5
        double[] orders = {1.5, 2.5, 5, 50, 100, Double.POSITIVE_INFINITY};
        double[] expected = {0.00065, 0.001085, 0.00218075, 0.023846, 167.416307};
        double[] rdp = SampledGaussianRdp.compute(0.01, 2.5, 50, orders);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], rdp[i], 1e-5, "order " + orders[i]);
        }
        assertEquals(Double.POSITIVE_INFINITY, rdp[5]);
        // [DPA] test_compute_rdp_poisson_sampled_gaussian, same inputs: dp_accounting adds the
        // fractional series' terms by magnitude, an upper bound; integer orders agree (rtol 1e-4)
        double[] upper = {6.70579741e-04, 1.08548710e-03, 2.18075656e-03, 2.38460375e-02, 1.67416308e02};
        for (int i = 0; i < upper.length; i++) {
            assertTrue(rdp[i] <= upper[i] * (1 + 1e-4), "order " + orders[i] + ": " + rdp[i] + " above " + upper[i]);
            if (orders[i] == Math.rint(orders[i])) {
                assertEquals(upper[i], rdp[i], 1e-4 * upper[i], "order " + orders[i]);
            }
        }
    }

    @Test
    void epsilonOfPureDpMatchesTheReference() {
        // [TFP] test_get_privacy_spent_check_target_delta, [DPA] test_compute_epsilon_delta_pure_dp:
        // constant RDP 1.1 at orders 2-32, delta 1e-5 gives 1.32783806176 at order 32
        double[] orders = IntStream.rangeClosed(2, 32).asDoubleStream().toArray();
        double[] rdp = new double[orders.length];
        java.util.Arrays.fill(rdp, 1.1);
        RdpAccountant.Epsilon e = RdpAccountant.epsilon(orders, rdp, 1e-5);
        assertEquals(1.32783806176, e.epsilon(), 5e-8);
        assertEquals(32, e.order());
    }

    @Test
    void epsilonOfTheGaussianMechanismMatchesTheReference() {
        // [TFP] and [DPA] test_compute_epsilon_delta_gaussian: sigma 4.530877117 is (1, 1e-6)-DP,
        // on orders 1.001-99.999 (order 1.0 is left out here; it never gives the minimum)
        double[] orders = IntStream.range(1001, 100_000).asDoubleStream().map(i -> 0.001 * i).toArray();
        double[] rdp = SampledGaussianRdp.compute(1, 4.530877117, 1, orders);
        assertEquals(1.0, RdpAccountant.epsilon(orders, rdp, 1e-6).epsilon(), 5e-8);
    }

    @Test
    void compositionStaysBelowTheOldReference() {
        // [TFP] test_check_composition: two mechanisms composed; 8.509656 was the old conversion's
        // value, an upper bound for the current one
        double[] orders = {1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 64, 256};
        RdpAccountant accountant = new RdpAccountant(orders, 1e-5);
        accountant.compose(1e-4, 0.4, 40_000);
        accountant.compose(0.1, 2, 100);
        double eps = accountant.epsilon();
        assertTrue(eps <= 8.509656 && eps > 7, "epsilon " + eps);
        // with the old conversion, min over orders of rdp - log(delta) / (alpha - 1), the reference is exact
        double[] rdp = accountant.rdp();
        double old = Double.POSITIVE_INFINITY;
        for (int i = 0; i < orders.length; i++) {
            old = Math.min(old, rdp[i] - Math.log(1e-5) / (orders[i] - 1));
        }
        assertEquals(8.509656, old, 5e-6);
    }

    @Test
    void composesLinearlyAndGrowsWithSteps() {
        double[] orders = RdpAccountant.DEFAULT_ORDERS;
        double[] one = SampledGaussianRdp.compute(0.1, 1.1, 1, orders);
        double[] ten = SampledGaussianRdp.compute(0.1, 1.1, 10, orders);
        RdpAccountant accountant = new RdpAccountant(1e-5);
        double previous = 0;
        for (int step = 1; step <= 10; step++) {
            accountant.compose(0.1, 1.1, 1);
            double eps = accountant.epsilon();
            assertTrue(eps > previous, "epsilon grows with every round");
            previous = eps;
        }
        double[] summed = accountant.rdp();
        for (int i = 0; i < orders.length; i++) {
            assertEquals(ten[i], summed[i], 1e-12 * ten[i]);
            assertEquals(10 * one[i], ten[i], 1e-12 * ten[i]);
        }
        assertEquals(10, accountant.spent().rounds());
        assertEquals(previous, accountant.spent().epsilon());
    }

    @Test
    void rdpGrowsWithTheOrderAcrossIntegerAndFractionalOrders() {
        // Renyi divergence is non-decreasing in the order: a check that both series agree where they meet
        double[] orders = RdpAccountant.DEFAULT_ORDERS;
        for (double q : new double[] {1e-3, 0.01, 0.2, 0.9}) {
            double[] rdp = SampledGaussianRdp.compute(q, 1.3, 1, orders);
            int finite = 0;
            for (int i = 1; i < orders.length; i++) {
                if (Double.isInfinite(rdp[i - 1]) || Double.isInfinite(rdp[i])) {
                    continue; // an order whose series did not converge is left out, not wrong
                }
                finite++;
                assertTrue(rdp[i] >= rdp[i - 1] * (1 - 1e-9), "q " + q + ": order " + orders[i] + " gives " + rdp[i]
                        + " below order " + orders[i - 1] + " " + rdp[i - 1]);
            }
            assertTrue(finite > orders.length / 2, "q " + q + ": only " + finite + " orders converged");
        }
    }

    @Test
    void budgetCheckChargesNothing() {
        RdpAccountant accountant = new RdpAccountant(1e-5);
        accountant.compose(0.01, 1.0, 100);
        double before = accountant.epsilon();
        double[] rdp = accountant.rdp();
        assertTrue(accountant.wouldExceed(before, 0.01, 1.0, 1));
        assertTrue(!accountant.wouldExceed(before + 10, 0.01, 1.0, 1));
        assertEquals(before, accountant.epsilon());
        assertArrayEquals(rdp, accountant.rdp());
        assertEquals(Double.POSITIVE_INFINITY, accountant.epsilonAfter(0.01, 0, 1), "no noise, no privacy");
    }
}
