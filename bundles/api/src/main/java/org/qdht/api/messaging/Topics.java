package org.qdht.api.messaging;

import java.util.regex.Pattern;

/**
 * The rules for pub/sub topic names: 1-{@value #MAX_LENGTH} characters of {@code [a-z0-9/._-]},
 * for example {@code sensors/building-7/temperature}. Names are compared as they are; there are no
 * wildcards.
 */
public final class Topics {
    public static final int MAX_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[a-z0-9/._-]{1," + MAX_LENGTH + "}");

    private Topics() {
    }

    public static boolean isValid(String topic) {
        return topic != null && NAME.matcher(topic).matches();
    }

    /**
     * Returns {@code topic} if it is a valid name.
     *
     * @throws IllegalArgumentException naming the rule it breaks
     */
    public static String requireValid(String topic) {
        if (!isValid(topic)) {
            throw new IllegalArgumentException("topic must be 1-" + MAX_LENGTH
                    + " characters of a-z, 0-9, '/', '.', '_' and '-': '" + topic + "'");
        }
        return topic;
    }
}
