package org.qdht.api.learning;

import java.util.Arrays;

/**
 * A flat vector of model parameters (or of a change to them): 1-{@value #MAX_PARAMETERS} finite
 * float values, in the order the model type defines. Immutable and thread safe; {@link #values()}
 * copies, so large models are read with {@link #get(int)}.
 */
public final class ModelParameters {
    /** Largest dimension: 2^24 parameters, 64 MiB as float32. */
    public static final int MAX_PARAMETERS = 16_777_216;

    private final float[] values;

    private ModelParameters(float[] values) {
        this.values = values;
    }

    /**
     * @throws IllegalArgumentException for null, empty or more than {@value #MAX_PARAMETERS} values,
     *         or a NaN or infinite value (naming its index)
     */
    public static ModelParameters of(float[] values) {
        if (values == null || values.length == 0 || values.length > MAX_PARAMETERS) {
            throw new IllegalArgumentException("model parameters must have 1-" + MAX_PARAMETERS + " values, got "
                    + (values == null ? "null" : values.length));
        }
        float[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Float.isFinite(copy[i])) {
                throw new IllegalArgumentException("model parameter " + i + " is " + copy[i] + "; all values must be finite");
            }
        }
        return new ModelParameters(copy);
    }

    /** Number of parameters. */
    public int dimension() {
        return values.length;
    }

    /** The parameter at {@code index}. */
    public float get(int index) {
        return values[index];
    }

    /** A copy of all parameters. */
    public float[] values() {
        return values.clone();
    }

    /** The Euclidean norm, accumulated in double. */
    public double l2Norm() {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelParameters && Arrays.equals(values, ((ModelParameters) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ModelParameters[dimension " + values.length + ", l2 " + l2Norm() + "]";
    }
}
