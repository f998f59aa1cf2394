package org.qdht.api.learning;

import java.util.regex.Pattern;

import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * Names a shared model, for example {@code mnist-cnn} or {@code keyboard.next-word}: 1-{@value #MAX_LENGTH}
 * characters of {@code [a-z0-9._-]}. Versions of the model are numbered in its
 * {@link ModelManifest}s. Immutable and thread safe; ordered by name.
 */
public final class ModelId implements Comparable<ModelId> {
    public static final int MAX_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1," + MAX_LENGTH + "}");

    private final String name;

    private ModelId(String name) {
        this.name = name;
    }

    /** @throws IllegalArgumentException naming the rule {@code name} breaks */
    public static ModelId of(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model id must be 1-" + MAX_LENGTH
                    + " characters of a-z, 0-9, '.', '_' and '-': '" + name + "'");
        }
        return new ModelId(name);
    }

    public String name() {
        return name;
    }

    /** Writes the name as a length-prefixed string. */
    public void writeTo(WireWriter out) {
        out.string(name, MAX_LENGTH);
    }

    public static ModelId readFrom(WireReader in) throws WireFormatException {
        int at = in.position();
        String name = in.string(MAX_LENGTH, "model id");
        if (!NAME.matcher(name).matches()) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at,
                    "model id must be 1-" + MAX_LENGTH + " characters of a-z, 0-9, '.', '_' and '-'");
        }
        return new ModelId(name);
    }

    @Override
    public int compareTo(ModelId o) {
        return name.compareTo(o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelId && ((ModelId) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
