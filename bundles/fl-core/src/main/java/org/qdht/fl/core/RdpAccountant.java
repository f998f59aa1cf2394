package org.qdht.fl.core;

import java.util.Arrays;

import org.qdht.api.learning.PrivacySpent;

/**
 * Adds up the Renyi-DP of the rounds released so far at a fixed set of orders (RDP composes by
 * addition) and converts the total to (epsilon, delta)-DP with the bound of Canonne, Kamath and
 * Steinke 2020 (arXiv:2004.00010, proposition 12; also Asoodeh et al. 2020), as TensorFlow
 * Privacy's {@code get_privacy_spent} and dp_accounting's {@code compute_epsilon} do: for each order
 * {@code epsilon = rdp + log(1 - 1/alpha) - log(delta * alpha) / (alpha - 1)}, the smallest over the
 * orders wins. A budget check ({@link #wouldExceed}) asks before a round is released. Thread safe.
 */
public final class RdpAccountant {
    /** dp_accounting's default orders: 1.1-10.9 in steps of 0.1, 11-63, 128, 256, 512, 1024. */
    public static final double[] DEFAULT_ORDERS = defaultOrders();

    /** Epsilon and the order that gave it. */
    public record Epsilon(double epsilon, double order) {
    }

    private final double[] orders;
    private final double delta;
    private final double[] rdp;
    private long rounds;

    /**
     * @param orders RDP orders, each above 1
     * @param delta  target delta, in (0, 1)
     */
    public RdpAccountant(double[] orders, double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("target delta must be in (0, 1), got " + delta);
        }
        if (orders.length == 0) {
            throw new IllegalArgumentException("need at least one RDP order");
        }
        for (double a : orders) {
            if (!(a > 1)) {
                throw new IllegalArgumentException("RDP orders must be above 1, got " + a);
            }
        }
        this.orders = orders.clone();
        this.delta = delta;
        this.rdp = new double[orders.length];
    }

    /** An accountant with {@link #DEFAULT_ORDERS}. */
    public RdpAccountant(double delta) {
        this(DEFAULT_ORDERS, delta);
    }

    /** Charges {@code steps} rounds of the sampled Gaussian mechanism with rate q and noise multiplier z. */
    public synchronized void compose(double q, double z, long steps) {
        double[] add = SampledGaussianRdp.compute(q, z, steps, orders);
        for (int i = 0; i < rdp.length; i++) {
            rdp[i] += add[i];
        }
        rounds += steps;
    }

    /** Epsilon at the target delta for what has been charged. */
    public synchronized double epsilon() {
        return epsilon(orders, rdp, delta).epsilon();
    }

    /** Epsilon there would be after charging {@code steps} more rounds; charges nothing. */
    public synchronized double epsilonAfter(double q, double z, long steps) {
        double[] add = SampledGaussianRdp.compute(q, z, steps, orders);
        double[] total = new double[rdp.length];
        for (int i = 0; i < rdp.length; i++) {
            total[i] = rdp[i] + add[i];
        }
        return epsilon(orders, total, delta).epsilon();
    }

    /** Whether {@code steps} more rounds would take epsilon beyond {@code epsilonBudget}. */
    public boolean wouldExceed(double epsilonBudget, double q, double z, long steps) {
        return epsilonAfter(q, z, steps) > epsilonBudget;
    }

    /** The privacy spent so far, in the API's form. */
    public synchronized PrivacySpent spent() {
        return new PrivacySpent(epsilon(), delta, rounds);
    }

    public double delta() {
        return delta;
    }

    /** A copy of the accumulated RDP, one value per order. */
    public synchronized double[] rdp() {
        return rdp.clone();
    }

    /**
     * The smallest epsilon over the orders for the given RDP curve and delta; 0 if a
     * zero-divergence order or the KL bound {@code delta >= sqrt(1 - exp(-rdp))} already gives it,
     * infinite if no order gives a finite bound.
     */
    public static Epsilon epsilon(double[] orders, double[] rdp, double delta) {
        if (orders.length != rdp.length || orders.length == 0) {
            throw new IllegalArgumentException("need as many RDP values as orders (at least one), got "
                    + rdp.length + " and " + orders.length);
        }
        if (!(delta >= 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in [0, 1), got " + delta);
        }
        if (delta == 0) {
            boolean none = Arrays.stream(rdp).allMatch(r -> r == 0);
            return new Epsilon(none ? 0 : Double.POSITIVE_INFINITY, 0);
        }
        double best = Double.POSITIVE_INFINITY;
        double bestOrder = orders[0];
        for (int i = 0; i < orders.length; i++) {
            double a = orders[i];
            double r = rdp[i];
            if (a < 1) {
                throw new IllegalArgumentException("RDP orders must be at least 1, got " + a);
            }
            double eps;
            if (r < 0 || delta * delta + Math.expm1(-r) > 0) {
                eps = 0; // negative only from rounding; the KL bound covers small divergences
            } else if (a > 1.01) {
                // the bound is unstable as alpha approaches 1 and useless there anyway
                eps = r + Math.log1p(-1 / a) - Math.log(delta * a) / (a - 1);
            } else {
                eps = Double.POSITIVE_INFINITY;
            }
            if (eps < best) {
                best = eps;
                bestOrder = a;
            }
        }
        return new Epsilon(Math.max(0, best), bestOrder);
    }

    private static double[] defaultOrders() {
        double[] o = new double[99 + 53 + 4];
        int k = 0;
        for (int x = 1; x < 100; x++) {
            o[k++] = 1 + x / 10.0;
        }
        for (int a = 11; a < 64; a++) {
            o[k++] = a;
        }
        for (double a : new double[] {128, 256, 512, 1024}) {
            o[k++] = a;
        }
        return o;
    }
}
