package org.qdht.fl.fedavg.internal;

import org.qdht.api.learning.FederatedLearning;
import org.qdht.fl.secagg.Quantizer;

/** What master and clients of a secure round must agree on without a message for it. */
final class SecureRounds {
    /** Each quantised coordinate lies in [-1, 1]: a weighted or clipped change of one round is far smaller. */
    static final double RANGE = 1.0;

    private SecureRounds() {
    }

    /** The quantiser: sums of up to the largest cohort never wrap modulo 2^32. */
    static Quantizer quantizer() {
        return Quantizer.forClients(RANGE, FederatedLearning.MAX_CLIENTS_PER_ROUND);
    }

    /** The secure aggregation round id: distinct per run and round, so messages of another round are refused. */
    static long secAggRound(long runId, int round) {
        return runId * 31 + round;
    }
}
