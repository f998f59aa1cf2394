package org.qdht.fl.fedavg.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.ModelId;
import org.qdht.api.learning.ModelManifest;
import org.qdht.api.learning.RoundStatus;
import org.qdht.api.learning.TrainingPlan;
import org.qdht.fl.core.LogisticRegression;
import org.qdht.fl.core.Model;
import org.qdht.fl.core.TwoNN;

/**
 * Gogo commands of federated learning (scope {@code fl}): publish a model's first version from a
 * seed, show the newest manifest, and download and check a model.
 */
public final class FlCommands {
    static final String[] FUNCTIONS = {"init", "manifest", "fetch", "train", "rounds", "cancel", "counters"};
    private static final long WAIT_SECONDS = 120;

    private final FlComponent component;

    FlCommands(FlComponent component) {
        this.component = component;
    }

    /** fl:init <node> <model> <2nn|logistic> [seed] - publishes version 0 of a model for MNIST, initialised from a seed, with this node as master. */
    public String init(String node, String model, String type, String... seed) throws Exception {
        DhtModelRegistry registry = registry(node);
        Model m = switch (type) {
            case "2nn" -> TwoNN.MNIST;
            case "logistic" -> LogisticRegression.MNIST;
            default -> throw new IllegalArgumentException("model type must be 2nn or logistic, got " + type);
        };
        long s = seed.length > 0 ? Long.parseLong(seed[0]) : 1;
        float[] parameters = m.initialParameters(s);
        long started = System.nanoTime();
        ModelManifest manifest = publish(registry, ModelId.of(model), 0, "mnist-" + type, parameters);
        return String.format("published %s version 0 (%s, %,d parameters) as %d chunks in %.1f ms; master %s", model, type,
                parameters.length, manifest.chunkCount(), (System.nanoTime() - started) / 1e6, manifest.master().toShortString());
    }

    /** fl:manifest <node> <model> - the newest verified manifest of a model. */
    public String manifest(String node, String model) throws Exception {
        Optional<ModelManifest> m = await(registry(node).latest(ModelId.of(model)).toCompletableFuture());
        if (m.isEmpty()) {
            return "no manifest of " + model;
        }
        ModelManifest x = m.get();
        return String.format("%s version %d: %d chunks, master %s, suite %s, signature verified%n  metadata %s", x.model().name(), x.version(),
                x.chunkCount(), x.master().toShortString(), x.suite().name(), x.metadata());
    }

    /** fl:fetch <node> <model> - downloads every chunk of the newest version and checks it against the manifest. */
    public String fetch(String node, String model) throws Exception {
        DhtModelRegistry registry = registry(node);
        long started = System.nanoTime();
        ModelManifest m = await(registry.latest(ModelId.of(model)).toCompletableFuture())
                .orElseThrow(() -> new IllegalStateException("no manifest of " + model));
        float[] parameters = await(registry.download(m));
        return String.format("%s version %d: %,d parameters in %d chunks, every chunk matched its hash (%.1f ms)", model, m.version(),
                parameters.length, m.chunkCount(), (System.nanoTime() - started) / 1e6);
    }

    /**
     * fl:train <node> <model> <rounds> <clients> [epochs] [batch] [learning-rate] - runs federated rounds with this node as
     * master and prints each round as it ends (the run goes on in the background if the shell is left).
     */
    public String train(String node, String model, String rounds, String clients, String... plan) throws Exception {
        FlNode n = component.node(node).orElseThrow(() -> new IllegalArgumentException("no node named '" + node + "' runs federated learning"));
        TrainingPlan p = new TrainingPlan(plan.length > 0 ? Integer.parseInt(plan[0]) : 1, plan.length > 1 ? Integer.parseInt(plan[1]) : 10,
                plan.length > 2 ? Double.parseDouble(plan[2]) : 0.1, System.nanoTime());
        ModelId id = ModelId.of(model);
        CompletableFuture<ModelManifest> run = n.runs().start(id, Integer.parseInt(rounds), Integer.parseInt(clients), p).toCompletableFuture();
        int shown = 0;
        long started = System.nanoTime();
        while (!run.isDone() || shown < completed(n, id)) {
            List<RoundStatus> r = n.runs().rounds(id);
            for (; shown < completed(n, id); shown++) {
                System.out.println(describe(r.get(shown), started)); // progress while the run goes on
            }
            Thread.sleep(200);
        }
        ModelManifest last = await(run);
        return String.format("%s: version %d published after %s rounds (%.1f s)", model, last.version(), rounds, (System.nanoTime() - started) / 1e9);
    }

    /** fl:rounds <node> <model> - the rounds of the current or last run: clients, dropouts, accuracy, epsilon. */
    public String rounds(String node, String model) {
        FlNode n = component.node(node).orElseThrow(() -> new IllegalArgumentException("no node named '" + node + "' runs federated learning"));
        StringBuilder out = new StringBuilder();
        for (RoundStatus r : n.runs().rounds(ModelId.of(model))) {
            out.append(describe(r, 0)).append('\n');
        }
        return out.length() == 0 ? "no run of " + model + " on " + node : out.toString();
    }

    /** fl:cancel <node> <model> - stops a run after its current round (not "stop": the shell's stop ends the framework). */
    public String cancel(String node, String model) {
        FlNode n = component.node(node).orElseThrow(() -> new IllegalArgumentException("no node named '" + node + "' runs federated learning"));
        return n.runs().stop(ModelId.of(model)) ? "the run of " + model + " stops after the current round" : "no run of " + model;
    }

    /** fl:counters <node> - messages and rounds counted by this node, rejections by reason. */
    public String counters(String node) {
        FlNode n = component.node(node).orElseThrow(() -> new IllegalArgumentException("no node named '" + node + "' runs federated learning"));
        StringBuilder out = new StringBuilder(node + "\n");
        n.counters().snapshot().forEach((k, v) -> out.append("  ").append(k).append(' ').append(v).append('\n'));
        return out.toString();
    }

    private static int completed(FlNode n, ModelId id) {
        int c = 0;
        for (RoundStatus r : n.runs().rounds(id)) {
            if (r.state() == RoundStatus.State.COMPLETED || r.state() == RoundStatus.State.FAILED) {
                c++;
            }
        }
        return c;
    }

    private static String describe(RoundStatus r, long startedNanos) {
        return String.format("  round %d %s: %d clients, %d dropouts%s%s%s", r.round(), r.state(), r.participants(), r.dropouts(),
                r.accuracy().isPresent() ? String.format(", accuracy %.3f", r.accuracy().getAsDouble()) : "",
                r.epsilon().isPresent() ? String.format(", epsilon %.2f", r.epsilon().getAsDouble()) : "",
                startedNanos > 0 ? String.format(" (%.1f s)", (System.nanoTime() - startedNanos) / 1e9) : "");
    }

    /** Splits, signs and publishes {@code parameters} as version {@code version} of {@code model}. */
    static ModelManifest publish(DhtModelRegistry registry, ModelId model, long version, String type, float[] parameters) throws Exception {
        return publish(registry, model, version, type, parameters, Map.of());
    }

    /** As above, with training metadata (round, clients, dropouts, aggregation, accuracy, epsilon) in the manifest. */
    static ModelManifest publish(DhtModelRegistry registry, ModelId model, long version, String type, float[] parameters,
            Map<String, String> training) throws Exception {
        NodeIdentity id = registry.identity();
        List<byte[]> chunks = ModelChunks.split(parameters, registry.chunkSize());
        ModelManifest unsigned = ModelManifest.unsigned(model, version, ModelChunks.hashes(chunks),
                metadata(type, parameters.length, training), id.nodeId(), id.suite(),
                id.signingKey().keyId());
        ModelManifest signed = unsigned.withSignature(id.sign(unsigned.toBeSigned()).bytes());
        await(registry.publish(signed, chunks).toCompletableFuture());
        return signed;
    }

    private static Map<String, String> metadata(String type, int parameters, Map<String, String> training) {
        Map<String, String> m = new java.util.TreeMap<>(training);
        m.put(ModelManifest.MODEL_TYPE_KEY, type);
        m.put("parameters", Integer.toString(parameters));
        return m;
    }

    private DhtModelRegistry registry(String node) {
        return component.registry(node).orElseThrow(() -> new IllegalArgumentException("no node named '" + node
                + "' has a model registry; running: " + component.running().keySet()));
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof LearningException l) {
                throw new IllegalStateException(l.reason() + ": " + l.getMessage(), l);
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("no result within " + WAIT_SECONDS + " s");
        }
    }
}
