package org.qdht.api.learning;

/**
 * The differential-privacy loss accumulated so far, as (epsilon, delta)-DP. Immutable and thread safe.
 *
 * @param epsilon the privacy loss, not negative; infinite if a round released a result without noise
 * @param delta   the failure probability the accountant was configured with, in [0, 1)
 * @param rounds  noisy results released so far
 */
public record PrivacySpent(double epsilon, double delta, long rounds) {
    /** Nothing released yet. */
    public static final PrivacySpent NONE = new PrivacySpent(0, 0, 0);

    /** @throws IllegalArgumentException for a negative or NaN epsilon, delta outside [0, 1), or negative rounds */
    public PrivacySpent {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must not be negative or NaN, got " + epsilon);
        }
        if (!(delta >= 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in [0, 1), got " + delta);
        }
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must not be negative, got " + rounds);
        }
    }
}
