package org.qdht.fl.core;

/**
 * The special functions the RDP accountant needs, in log space so that terms like
 * {@code exp(alpha^2 / 2 sigma^2)} neither overflow nor vanish: log-sum, log|Gamma| and log(erfc).
 * Accurate to about 1e-13 relative, far below what the accountant's results are rounded to.
 */
final class LogMath {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    private static final double LANCZOS_G = 7;
    /** Lanczos coefficients for g = 7, n = 9 (as in Numerical Recipes and most libraries). */
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7 };
    /** Above this the continued fraction of erfc converges fast; below it the erf series is exact enough. */
    private static final double ERFC_SWITCH = 2.5;
    private static final int CONTINUED_FRACTION_TERMS = 200;

    private LogMath() {
    }

    /** log(exp(a) + exp(b)), with -infinity standing for log 0. */
    static double logAdd(double a, double b) {
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        if (lo == Double.NEGATIVE_INFINITY) {
            return hi;
        }
        return Math.log1p(Math.exp(lo - hi)) + hi;
    }

    /** log(exp(a) - exp(b)) for a >= b; -infinity when they are equal. */
    static double logSub(double a, double b) {
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        if (a == b) {
            return Double.NEGATIVE_INFINITY;
        }
        return a + Math.log(-Math.expm1(b - a));
    }

    /** log|Gamma(x)|; x must not be 0 or a negative integer. */
    static double logGamma(double x) {
        if (x < 0.5) {
            // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double y = x - 1;
        double a = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (y + i);
        }
        double t = y + LANCZOS_G + 0.5;
        return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** log|binomial(n, k)| for real n, as scipy's gammaln-based formula; k a whole number. */
    static double logBinomial(double n, double k) {
        return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
    }

    /** log(erfc(x)), without underflow for large x. */
    static double logErfc(double x) {
        if (x >= ERFC_SWITCH) {
            return logErfcContinuedFraction(x);
        }
        if (x >= 0) {
            return Math.log1p(-erfSeries(x));
        }
        return Math.log1p(erf(-x));
    }

    /** erf(x) for x >= 0. */
    private static double erf(double x) {
        return x < ERFC_SWITCH ? erfSeries(x) : -Math.expm1(logErfcContinuedFraction(x));
    }

    /** erf(x) = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1)): all terms positive, no cancellation. */
    private static double erfSeries(double x) {
        double term = x;
        double sum = x;
        double twoX2 = 2 * x * x;
        for (int n = 1; n < 500 && term > 1e-17 * sum; n++) {
            term *= twoX2 / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }

    /** erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the tail. */
    private static double logErfcContinuedFraction(double x) {
        double f = x;
        for (int n = CONTINUED_FRACTION_TERMS; n >= 1; n--) {
            f = x + (n / 2.0) / f;
        }
        return -x * x - 0.5 * Math.log(Math.PI) - Math.log(f);
    }
}
