package org.qdht.node.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.Logger;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.wire.WireFormat;
import org.qdht.api.wire.WireFormatException;

/**
 * Keeps one node's identity in step with its configuration and the installed suites. It picks the
 * configured suite, or the first installed fallback when that suite's bundle is missing; loads the
 * node's key for that suite from the data directory or creates one (key pair, then the NodeId
 * puzzle); and when the suite changes, has the old key sign the new one (a {@link KeyRotation},
 * kept in {@code identity/rotations.bin}) before the new identity replaces the old as the node's
 * {@link NodeIdentity} service. Keys are never deleted, so switching back reuses the earlier key
 * and NodeId. All work runs on one thread per node, so activation never waits for a proof of work.
 */
final class IdentityKeeper implements AutoCloseable {
    static final String ROTATIONS_FILE = "rotations.bin";
    /** A rotation chain longer than this is not a node's history but a damaged or hostile file. */
    private static final int MAX_ROTATIONS = 10_000;

    private final BundleContext context;
    private final String nodeName;
    private final Logger log;
    private final Supplier<Path> dataDirectory;
    private final ExecutorService worker;
    private final SecureRandom random = newRandom();

    private volatile LocalIdentity current;
    private volatile String activity = "waiting for a crypto suite";
    private volatile String problem;
    private ServiceRegistration<NodeIdentity> registration;

    IdentityKeeper(BundleContext context, String nodeName, Supplier<Path> dataDirectory, Logger log) {
        this.context = context;
        this.nodeName = nodeName;
        this.dataDirectory = dataDirectory;
        this.log = log;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "qdht-identity-" + nodeName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Schedules a check of the identity against {@code settings} and the suites installed now. */
    void reconcileLater(NodeSettings settings, Supplier<List<CryptoSuite>> installed) {
        if (!worker.isShutdown()) {
            worker.execute(() -> {
                try {
                    reconcile(settings, installed.get());
                } catch (RuntimeException e) {
                    problem = "identity: " + e;
                    log.error("node '{}': identity update failed: {}", nodeName, e.toString());
                }
            });
        }
    }

    Optional<LocalIdentity> current() {
        return Optional.ofNullable(current);
    }

    /** What the keeper is doing, or why the node has no identity, for the node's status. */
    Optional<String> problem() {
        if (current != null) {
            return Optional.ofNullable(problem);
        }
        return Optional.of(problem != null ? problem : activity);
    }

    private void reconcile(NodeSettings settings, List<CryptoSuite> installed) {
        Optional<CryptoSuite> chosen = choose(settings, installed);
        if (chosen.isEmpty()) {
            withdraw(installed.isEmpty() ? "no crypto suite installed" : "neither the configured suite " + settings.suite()
                    + " nor a fallback " + settings.fallbackSuites() + " is installed");
            return;
        }
        CryptoSuite target = chosen.get();
        if (!target.id().equals(settings.suite())) {
            problem = "configured suite " + settings.suite() + " is not installed; running on fallback " + target.id();
        } else {
            problem = null;
        }
        LocalIdentity previous = current;
        if (previous != null && previous.suite().equals(target.id()) && previous.cryptoSuite() == target) {
            return;
        }
        try {
            IdentityFile.Stored stored = loadOrCreate(settings, target);
            List<KeyRotation> rotations = readRotations();
            boolean rotated = false;
            if (previous != null && !previous.suite().equals(target.id())) {
                if (installed.stream().anyMatch(s -> s.id().equals(previous.suite()))) {
                    rotations.add(rotationStatement(previous, stored.keyPair()));
                    writeRotations(rotations);
                    rotated = true;
                } else {
                    log.warn("node '{}': switching from {} to {} without a rotation statement: {} is no longer installed, "
                            + "so its key cannot sign one", nodeName, previous.suite(), target.id(), previous.suite());
                }
            }
            NodeId nodeId = NodeIdPuzzle.nodeIdOf(target.id(), stored.keyPair().publicKey().key());
            LocalIdentity next = new LocalIdentity(target, stored.keyPair(), nodeId, stored.puzzleNonce(),
                    stored.puzzleDifficulty(), rotations);
            publish(next);
            activity = "ready";
            if (previous == null || !previous.suite().equals(target.id())) {
                log.info("node '{}': {}{}", nodeName, next,
                        rotated ? ", rotated from " + previous.suite() + " (statement signed by the old key)" : "");
            }
            if (problem != null) {
                log.warn("node '{}': {}", nodeName, problem);
            }
        } catch (IOException | CryptoException e) {
            problem = "identity under " + target.id() + " unavailable: " + e.getMessage();
            log.error("node '{}': {}", nodeName, problem);
        }
    }

    private Optional<CryptoSuite> choose(NodeSettings settings, List<CryptoSuite> installed) {
        List<SuiteId> order = new ArrayList<>();
        order.add(settings.suite());
        order.addAll(settings.fallbackSuites());
        for (SuiteId wanted : order) {
            for (CryptoSuite s : installed) {
                if (s.id().equals(wanted)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    private IdentityFile.Stored loadOrCreate(NodeSettings settings, CryptoSuite suite) throws IOException, CryptoException {
        Path file = IdentityFile.pathOf(dataDirectory.get(), suite.id());
        char[] passphrase = settings.identityPassphrase();
        if (Files.exists(file)) {
            IdentityFile.Stored stored = IdentityFile.read(file, passphrase);
            if (stored.puzzleDifficulty() >= settings.puzzleDifficulty()) {
                return stored;
            }
            NodeId id = NodeIdPuzzle.nodeIdOf(suite.id(), stored.keyPair().publicKey().key());
            IdentityFile.Stored harder = new IdentityFile.Stored(stored.keyPair(), solve(id, settings.puzzleDifficulty()),
                    settings.puzzleDifficulty(), stored.createdMillis());
            IdentityFile.write(file, harder, passphrase, random);
            return harder;
        }
        activity = "creating a " + suite.signatures().algorithm() + " identity key";
        KeyPair keyPair = suite.signatures().generateKeyPair();
        NodeId id = NodeIdPuzzle.nodeIdOf(suite.id(), keyPair.publicKey().key());
        long nonce = solve(id, settings.puzzleDifficulty());
        IdentityFile.Stored stored = new IdentityFile.Stored(keyPair, nonce, settings.puzzleDifficulty(), System.currentTimeMillis());
        IdentityFile.write(file, stored, passphrase, random);
        if (passphrase.length == 0) {
            log.warn("node '{}': identity key {} is stored unencrypted (set identityPassphrase to encrypt it)", nodeName, file);
        }
        return stored;
    }

    private long solve(NodeId id, int difficulty) {
        activity = "solving the NodeId puzzle (" + difficulty + " bits)";
        long start = System.nanoTime();
        long nonce = NodeIdPuzzle.solve(id, difficulty, tried -> {
            activity = "solving the NodeId puzzle (" + difficulty + " bits, " + tried + " tries)";
            log.info("node '{}': NodeId puzzle, {} tries so far", nodeName, tried);
        });
        log.info("node '{}': NodeId puzzle of {} bits solved in {} ms", nodeName, difficulty,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return nonce;
    }

    private KeyRotation rotationStatement(LocalIdentity previous, KeyPair next) throws CryptoException {
        long now = System.currentTimeMillis();
        byte[] toSign = KeyRotation.toBeSigned(previous.signingKey(), next.publicKey(), now);
        return new KeyRotation(previous.signingKey(), next.publicKey(), now, previous.sign(toSign));
    }

    private void publish(LocalIdentity next) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(QdhtNode.NAME_PROPERTY, nodeName);
        props.put("qdht.node.id", next.nodeId().toHex());
        props.put("qdht.suite.code", next.suite().code());
        ServiceRegistration<NodeIdentity> added = context.registerService(NodeIdentity.class, next, props);
        ServiceRegistration<NodeIdentity> old;
        synchronized (this) {
            old = registration;
            registration = added;
            current = next;
        }
        if (old != null) {
            old.unregister();
        }
    }

    private void withdraw(String why) {
        ServiceRegistration<NodeIdentity> old;
        synchronized (this) {
            old = registration;
            registration = null;
            current = null;
        }
        if (old != null) {
            old.unregister();
            log.warn("node '{}': identity withdrawn: {}", nodeName, why);
        }
        problem = null;
        activity = why;
    }

    private List<KeyRotation> readRotations() throws IOException {
        Path file = dataDirectory.get().resolve("identity").resolve(ROTATIONS_FILE);
        List<KeyRotation> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return out;
                }
                if (length <= 0 || length > KeyRotation.MAX_ENCODED_SIZE + WireFormat.MAX_HEADER_SIZE || out.size() >= MAX_ROTATIONS) {
                    throw new IOException("rotation file " + file + " is damaged (entry " + out.size() + ")");
                }
                byte[] frame = in.readNBytes(length);
                if (frame.length != length) {
                    throw new IOException("rotation file " + file + " is truncated (entry " + out.size() + ")");
                }
                out.add(WireFormat.decode(KeyRotation.CODEC, frame));
            }
        } catch (WireFormatException e) {
            throw new IOException("rotation file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private void writeRotations(List<KeyRotation> rotations) throws IOException {
        Path file = dataDirectory.get().resolve("identity").resolve(ROTATIONS_FILE);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(ROTATIONS_FILE + ".tmp");
        try (var out = new java.io.DataOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING))) {
            for (KeyRotation r : rotations) {
                byte[] frame = WireFormat.encode(KeyRotation.CODEC, r);
                out.writeInt(frame.length);
                out.write(frame);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        withdraw("node stopped");
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
