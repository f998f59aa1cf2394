package org.qdht.fl.core;

import java.util.Arrays;

/**
 * Labelled examples as one flat float array, example after example, so models read features
 * without indirection. Immutable: the arrays are never handed out.
 */
public final class Dataset {
    private final float[] features;
    private final byte[] labels;
    private final int featureCount;
    private final int classCount;

    /**
     * @param features     {@code labels.length * featureCount} values, copied
     * @param labels       class of each example, in {@code [0, classCount)}, copied
     * @throws IllegalArgumentException when sizes disagree or a label is out of range
     */
    public Dataset(float[] features, byte[] labels, int featureCount, int classCount) {
        if (featureCount < 1 || classCount < 2 || classCount > 127) {
            throw new IllegalArgumentException("need at least 1 feature and 2-127 classes, got " + featureCount
                    + " features and " + classCount + " classes");
        }
        if ((long) labels.length * featureCount != features.length) {
            throw new IllegalArgumentException(labels.length + " labels need " + (long) labels.length * featureCount
                    + " feature values, got " + features.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classCount) {
                throw new IllegalArgumentException("label of example " + i + " is " + labels[i]
                        + ", outside 0-" + (classCount - 1));
            }
        }
        this.features = features.clone();
        this.labels = labels.clone();
        this.featureCount = featureCount;
        this.classCount = classCount;
    }

    public int size() {
        return labels.length;
    }

    public int featureCount() {
        return featureCount;
    }

    public int classCount() {
        return classCount;
    }

    public int label(int example) {
        return labels[example];
    }

    /** Feature {@code feature} of example {@code example}. */
    public float feature(int example, int feature) {
        return features[example * featureCount + feature];
    }

    /** The backing array, for the models' inner loops only: callers must not write to it. */
    float[] features() {
        return features;
    }

    /** Copies the features of {@code example} into {@code out} at {@code offset}. */
    public void copyFeatures(int example, float[] out, int offset) {
        System.arraycopy(features, example * featureCount, out, offset, featureCount);
    }

    /** The examples at {@code indices}, in that order. */
    public Dataset subset(int[] indices) {
        float[] f = new float[indices.length * featureCount];
        byte[] l = new byte[indices.length];
        for (int i = 0; i < indices.length; i++) {
            copyFeatures(indices[i], f, i * featureCount);
            l[i] = labels[indices[i]];
        }
        return new Dataset(f, l, featureCount, classCount);
    }

    /** The first {@code count} examples. */
    public Dataset head(int count) {
        int[] indices = new int[Math.min(count, size())];
        Arrays.setAll(indices, i -> i);
        return subset(indices);
    }

    /** Examples per class. */
    public int[] labelHistogram() {
        int[] counts = new int[classCount];
        for (byte l : labels) {
            counts[l]++;
        }
        return counts;
    }
}
