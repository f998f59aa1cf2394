package org.qdht.fl.secagg;

import java.util.List;

/**
 * The result of a round: the sum modulo 2^32 of the inputs of {@code contributors}, the clients
 * whose masked vectors reached the server. The array is not copied.
 */
public record Aggregate(long round, List<Integer> contributors, int[] sum) {
    public Aggregate {
        contributors = List.copyOf(contributors);
    }

    /** The sum as floats, for inputs made by {@code quantizer}. */
    public float[] dequantize(Quantizer quantizer) {
        if (contributors.size() > quantizer.maxClients()) {
            throw new IllegalArgumentException(contributors.size() + " contributors exceed the " + quantizer.maxClients() + " the quantiser was sized for: the sum may have wrapped");
        }
        return quantizer.dequantize(sum);
    }
}
