package org.qdht.fl.secagg;

/** The bounds every message and state machine checks, and the dropout threshold. */
public final class SecAggLimits {
    /** Fewer clients would let each learn the others' inputs from the sum (two clients: each learns the other's). */
    public static final int MIN_COHORT = 3;
    /**
     * Each client does one KEM operation and one mask expansion per peer, so cost grows with n^2 over
     * the round; 1,000 clients keep a client's masking under about a minute for 200,000 parameters.
     */
    public static final int MAX_COHORT = 1_000;
    /** Client ids are u16 on the wire and Shamir x-coordinates: zero would be the secret itself. */
    public static final int MAX_CLIENT_ID = 0xFFFF;
    /** 2^24 parameters: 64 MiB per masked vector, above any model the learning bundle trains. */
    public static final int MAX_VECTOR_LENGTH = 1 << 24;
    /** Seeds of the self-mask and of pairwise masks: ChaCha20 keys. */
    public static final int SEED_LENGTH = 32;

    private SecAggLimits() {
    }

    /**
     * The number of shares that reconstruct a self-mask seed: ceil(2n/3), so up to a third of a
     * cohort of n may drop out, and the server needs at least two thirds of the clients to unmask.
     */
    public static int threshold(int cohortSize) {
        if (cohortSize < MIN_COHORT || cohortSize > MAX_COHORT) {
            throw new IllegalArgumentException("cohort must have " + MIN_COHORT + "-" + MAX_COHORT + " clients, got " + cohortSize);
        }
        return (2 * cohortSize + 2) / 3;
    }

    static boolean validClientId(int id) {
        return id >= 1 && id <= MAX_CLIENT_ID;
    }
}
