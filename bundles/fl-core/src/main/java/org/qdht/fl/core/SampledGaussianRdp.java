package org.qdht.fl.core;

/**
 * Renyi-DP of the sampled Gaussian mechanism: each record (here: each client) is included with
 * probability q, and Gaussian noise of standard deviation {@code z} times the sensitivity is added
 * to the sum. Follows Mironov, Talwar and Zhang, "Renyi Differential Privacy of the Sampled
 * Gaussian Mechanism" (2019, arXiv:1908.10530), section 3.3, as implemented by TensorFlow
 * Privacy's {@code compute_rdp} (now {@code dp_accounting.rdp}): exact sums for integer orders,
 * the two-sided series with erfc terms for fractional orders, with the binomial coefficients' signs
 * as TensorFlow Privacy sums them. The series stops, as in dp_accounting, once its terms shrink and
 * lie 30 nats below the total; when it does not within {@value #MAX_SERIES_TERMS} terms (small
 * orders at large q, where the terms decay only polynomially), or a partial sum would turn
 * negative, the order's RDP is reported as infinite: that order is then simply not used for epsilon.
 */
public final class SampledGaussianRdp {
    /** The fractional-order series gives up after this many terms (dp_accounting's limit); the order then counts as infinite. */
    private static final int MAX_SERIES_TERMS = 1000;

    private SampledGaussianRdp() {
    }

    /**
     * RDP at each order after {@code steps} rounds with sampling rate {@code q} and noise
     * multiplier {@code z}; entries may be infinite (no noise, or an infinite order).
     *
     * @throws IllegalArgumentException for q outside [0, 1], a negative or NaN z, negative steps or
     *         an order not above 1
     */
    public static double[] compute(double q, double z, long steps, double[] orders) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate must be in [0, 1], got " + q);
        }
        if (!(z >= 0)) {
            throw new IllegalArgumentException("noise multiplier must not be negative, got " + z);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative, got " + steps);
        }
        double[] rdp = new double[orders.length];
        for (int i = 0; i < orders.length; i++) {
            if (!(orders[i] > 1)) {
                throw new IllegalArgumentException("RDP orders must be above 1, got " + orders[i]);
            }
            rdp[i] = steps == 0 ? 0 : single(q, z, orders[i]) * steps;
        }
        return rdp;
    }

    /** RDP of one step at order {@code alpha}. */
    static double single(double q, double z, double alpha) {
        if (q == 0) {
            return 0;
        }
        if (Double.isInfinite(alpha) || z == 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return alpha / (2 * z * z); // the plain Gaussian mechanism
        }
        double logA = alpha == Math.rint(alpha) ? logAInteger(q, z, (long) alpha) : logAFractional(q, z, alpha);
        return logA / (alpha - 1);
    }

    /** log A_alpha = log sum_i binom(alpha, i) q^i (1-q)^(alpha-i) exp((i^2 - i) / 2 z^2). */
    static double logAInteger(double q, double z, long alpha) {
        double logA = Double.NEGATIVE_INFINITY;
        double logQ = Math.log(q);
        double log1mq = Math.log1p(-q);
        for (long i = 0; i <= alpha; i++) {
            double term = LogMath.logBinomial(alpha, i) + i * logQ + (alpha - i) * log1mq
                    + (i * i - i) / (2 * z * z);
            logA = LogMath.logAdd(logA, term);
        }
        return logA;
    }

    /** A_alpha split at z0 where the two Gaussians' densities cross; series summed until its terms fall 30 nats below the total. */
    static double logAFractional(double q, double z, double alpha) {
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double z0 = z * z * Math.log(1 / q - 1) + 0.5;
        double logQ = Math.log(q);
        double log1mq = Math.log1p(-q);
        double lastS0 = Double.NEGATIVE_INFINITY;
        double lastS1 = Double.NEGATIVE_INFINITY;
        double sqrt2z = Math.sqrt(2) * z;
        for (int i = 0; i < MAX_SERIES_TERMS; i++) {
            double logCoef = LogMath.logBinomial(alpha, i);
            boolean positive = binomialPositive(alpha, i);
            double j = alpha - i;
            double logT0 = logCoef + i * logQ + j * log1mq;
            double logT1 = logCoef + j * logQ + i * log1mq;
            double logE0 = Math.log(0.5) + LogMath.logErfc((i - z0) / sqrt2z);
            double logE1 = Math.log(0.5) + LogMath.logErfc((z0 - j) / sqrt2z);
            double logS0 = logT0 + ((double) i * i - i) / (2 * z * z) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * z * z) + logE1;
            if (positive) {
                logA0 = LogMath.logAdd(logA0, logS0);
                logA1 = LogMath.logAdd(logA1, logS1);
            } else if (logS0 <= logA0 && logS1 <= logA1) {
                logA0 = LogMath.logSub(logA0, logS0);
                logA1 = LogMath.logSub(logA1, logS1);
            } else {
                return Double.POSITIVE_INFINITY;
            }
            double total = LogMath.logAdd(logA0, logA1);
            if (logS0 < lastS0 && logS1 < lastS1 && Math.max(logS0, logS1) < total - 30) {
                return total;
            }
            lastS0 = logS0;
            lastS1 = logS1;
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Sign of binomial(alpha, i) = alpha (alpha - 1) ... (alpha - i + 1) / i! for fractional alpha > 1. */
    private static boolean binomialPositive(double alpha, int i) {
        long negativeFactors = Math.max(0, i - (long) Math.floor(alpha) - 1); // the factors alpha - k with k > alpha
        return negativeFactors % 2 == 0;
    }
}
