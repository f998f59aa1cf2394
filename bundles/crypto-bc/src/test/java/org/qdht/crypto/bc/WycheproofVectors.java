package org.qdht.crypto.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.qdht.api.crypto.CryptoException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Loads the C2SP Wycheproof vector files under {@code src/test/resources/wycheproof} and runs their
 * cases as JUnit dynamic tests, with the bookkeeping every known-answer test here shares: which
 * cases the API can express (checked) and which it cannot (skipped, with the reason), and the rule
 * that an API call either returns or throws {@link CryptoException}, never an unchecked exception.
 *
 * <p>Files come from the directory in the system property {@value #DIR_PROPERTY} (Surefire sets
 * it), else from the test class path at {@code /wycheproof/<file>}.
 */
final class WycheproofVectors {
    static final String DIR_PROPERTY = "wycheproof.dir";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final Map<String, VectorFile> CACHE = new ConcurrentHashMap<>();

    private WycheproofVectors() {
    }

    /** The parsed file {@code fileName}; fails the test when it is missing or has no cases. */
    static VectorFile load(String fileName) {
        return CACHE.computeIfAbsent(fileName, WycheproofVectors::read);
    }

    private static VectorFile read(String fileName) {
        JsonNode root;
        try (InputStream in = open(fileName)) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Wycheproof file " + fileName, e);
        }
        JsonNode groups = root.path("testGroups");
        if (!groups.isArray()) {
            throw new AssertionFailedError(fileName + " has no testGroups array");
        }
        List<TestCase> cases = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode test : group.path("tests")) {
                cases.add(new TestCase(fileName, group, test));
            }
        }
        int declared = root.path("numberOfTests").asInt(-1);
        assertEquals(declared, cases.size(), fileName + ": numberOfTests in the header vs. cases found by the loader");
        assertTrue(!cases.isEmpty(), fileName + ": the loader found no test cases");
        return new VectorFile(fileName, root.path("algorithm").asText(), declared, Collections.unmodifiableList(cases));
    }

    private static InputStream open(String fileName) throws IOException {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            Path file = Path.of(dir, fileName);
            if (Files.isRegularFile(file)) {
                return Files.newInputStream(file);
            }
        }
        InputStream in = WycheproofVectors.class.getResourceAsStream("/wycheproof/" + fileName);
        if (in == null) {
            throw new AssertionFailedError("Wycheproof file " + fileName + " found neither in " + DIR_PROPERTY + "="
                    + dir + " nor on the class path at /wycheproof/" + fileName);
        }
        return in;
    }

    static byte[] hex(String text) {
        return HEX.parseHex(text);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** One vector file. */
    record VectorFile(String name, String algorithm, int numberOfTests, List<TestCase> cases) {
    }

    /** Expected outcome of a case, as Wycheproof writes it. */
    enum Result {
        VALID, INVALID, ACCEPTABLE;

        static Result of(String text) {
            switch (text) {
                case "valid":
                    return VALID;
                case "invalid":
                    return INVALID;
                case "acceptable":
                    return ACCEPTABLE;
                default:
                    throw new AssertionFailedError("unknown Wycheproof result '" + text + "'");
            }
        }
    }

    /** One test case with its group (groups carry shared inputs such as keys). */
    static final class TestCase {
        private final String file;
        private final JsonNode group;
        private final JsonNode test;

        TestCase(String file, JsonNode group, JsonNode test) {
            this.file = file;
            this.group = group;
            this.test = test;
        }

        int tcId() {
            return test.path("tcId").asInt();
        }

        Result result() {
            return Result.of(test.path("result").asText());
        }

        String comment() {
            return test.path("comment").asText("");
        }

        Set<String> flags() {
            Set<String> flags = new LinkedHashSet<>();
            test.path("flags").forEach(f -> flags.add(f.asText()));
            return flags;
        }

        boolean has(String field) {
            return test.hasNonNull(field);
        }

        /** The hex field {@code field} of the test; fails when absent. */
        byte[] bytes(String field) {
            if (!has(field)) {
                throw new AssertionFailedError(this + ": field '" + field + "' missing");
            }
            return hex(test.get(field).asText());
        }

        int integer(String field) {
            if (!test.path(field).isInt()) {
                throw new AssertionFailedError(this + ": integer field '" + field + "' missing");
            }
            return test.get(field).asInt();
        }

        boolean groupHas(String field) {
            return group.hasNonNull(field);
        }

        byte[] groupBytes(String field) {
            if (!groupHas(field)) {
                throw new AssertionFailedError(this + ": group field '" + field + "' missing");
            }
            return hex(group.get(field).asText());
        }

        String groupText(String field) {
            return group.path(field).asText("");
        }

        /** Short name for reports: tcId, expected result, comment and flags. */
        String displayName() {
            String c = comment();
            return "tcId " + tcId() + " [" + result().name().toLowerCase() + "]" + (c.isEmpty() ? "" : " " + c)
                    + (flags().isEmpty() ? "" : " " + flags());
        }

        @Override
        public String toString() {
            return file + " tcId " + tcId() + " (" + result().name().toLowerCase() + (comment().isEmpty() ? "" : ", " + comment()) + ")";
        }
    }

    /** What one case needs to run: the checks for a case the API can express. */
    @FunctionalInterface
    interface CaseCheck {
        void run(TestCase tc) throws Exception;
    }

    /**
     * One container per file: a dynamic test per case. Cases for which {@code skipReason} gives a
     * reason run {@code onSkip} (which only asserts that the API refuses them cleanly) and then
     * report as skipped with that reason; all others run {@code check}.
     */
    static DynamicContainer cases(VectorFile file, Function<TestCase, Optional<String>> skipReason, CaseCheck check,
            CaseCheck onSkip) {
        Stream<DynamicNode> tests = file.cases().stream().map(tc -> DynamicTest.dynamicTest(tc.displayName(), () -> {
            Optional<String> skip = skipReason.apply(tc);
            if (skip.isPresent()) {
                if (onSkip != null) {
                    onSkip.run(tc);
                }
                Assumptions.abort("not expressible through the API: " + skip.get());
            } else {
                check.run(tc);
            }
        }));
        return DynamicContainer.dynamicContainer(file.name(), tests);
    }

    /** Checked and skipped counts of a file, skipped by reason, for the count assertions. */
    record Tally(int checked, int skipped, Map<String, Integer> skippedByReason) {
        static Tally of(VectorFile file, Function<TestCase, Optional<String>> skipReason) {
            int checked = 0;
            Map<String, Integer> reasons = new TreeMap<>();
            for (TestCase tc : file.cases()) {
                Optional<String> skip = skipReason.apply(tc);
                if (skip.isPresent()) {
                    reasons.merge(skip.get(), 1, Integer::sum);
                } else {
                    checked++;
                }
            }
            int skipped = reasons.values().stream().mapToInt(Integer::intValue).sum();
            return new Tally(checked, skipped, reasons);
        }

        /** Asserts the counts and prints them, so a loader that finds nothing, or too much, fails. */
        void assertCounts(VectorFile file, int expectedChecked, int expectedSkipped) {
            System.out.println(file.name() + ": " + checked + " checked, " + skipped + " skipped " + skippedByReason);
            assertEquals(file.numberOfTests(), checked + skipped, file.name() + ": checked + skipped vs. numberOfTests");
            assertEquals(expectedChecked, checked, file.name() + ": cases checked");
            assertEquals(expectedSkipped, skipped, file.name() + ": cases skipped " + skippedByReason);
        }
    }

    /** Skip reason helper: {@code reason} when {@code when} holds. */
    static Optional<String> skipIf(boolean when, String reason) {
        return when ? Optional.of(reason) : Optional.empty();
    }

    /** An API call that may fail with a {@link CryptoException}. */
    @FunctionalInterface
    interface ApiCall<T> {
        T call() throws CryptoException;
    }

    /**
     * Runs {@code call}: its value or its {@link CryptoException}. An unchecked exception escaping
     * the API fails the test, whatever the case expects.
     */
    static <T> Outcome<T> attempt(TestCase tc, String what, ApiCall<T> call) {
        try {
            return new Outcome<>(tc, what, call.call(), null);
        } catch (CryptoException e) {
            return new Outcome<>(tc, what, null, e);
        } catch (RuntimeException e) {
            throw new AssertionFailedError(tc + ": " + what + " let an unchecked exception escape the API: " + e, e);
        }
    }

    /** The value of an API call, or the CryptoException it was refused with. */
    static final class Outcome<T> {
        private final TestCase tc;
        private final String what;
        private final T value;
        private final CryptoException error;

        Outcome(TestCase tc, String what, T value, CryptoException error) {
            this.tc = tc;
            this.what = what;
            this.value = value;
            this.error = error;
        }

        boolean rejected() {
            return error != null;
        }

        T value() {
            if (error != null) {
                throw new AssertionFailedError(tc + ": " + what + " expected to succeed, refused with "
                        + error.reason() + ": " + error.getMessage(), error);
            }
            return value;
        }

        CryptoException rejection() {
            if (error == null) {
                fail(tc + ": " + what + " expected a CryptoException, but it succeeded");
            }
            return error;
        }

        /** For acceptable cases: either outcome is fine; the value, when there is one, must pass {@code ok}. */
        void ifAccepted(Predicate<T> ok, String expectation) {
            if (error == null && !ok.test(value)) {
                fail(tc + ": " + what + " was accepted but " + expectation);
            }
        }
    }
}
