package org.qdht.fl.fedavg.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.osgi.service.log.Logger;
import org.qdht.api.PeerAddress;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.learning.FederatedLearning;
import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.LearningException.Reason;
import org.qdht.api.learning.LocalTrainer;
import org.qdht.api.learning.ModelId;
import org.qdht.api.learning.ModelManifest;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;
import org.qdht.api.learning.RoundStatus;
import org.qdht.api.learning.TrainingPlan;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.Routing;
import org.qdht.fl.core.DpFedAvg;
import org.qdht.fl.core.FedAvg;
import org.qdht.fl.fedavg.internal.FlMessages.Accept;
import org.qdht.fl.fedavg.internal.FlMessages.Invite;
import org.qdht.fl.fedavg.internal.FlMessages.Train;
import org.qdht.fl.fedavg.internal.FlMessages.Update;
import org.qdht.fl.secagg.Aggregate;
import org.qdht.fl.secagg.AggregationServer;
import org.qdht.fl.secagg.SecAggException;
import org.qdht.fl.secagg.SecAggLimits;
import org.qdht.fl.secagg.SecAggMessage;
import org.qdht.fl.secagg.SecAggMessages;

/**
 * A node's training runs as master: each round invites the peers of its routing table, samples
 * {@code clientsPerRound} of those that accept, has them train from the newest version in the
 * registry, waits for their updates until the round deadline (stragglers count as dropouts),
 * averages them by sample count (FedAvg), or clips, sums and noises them (DP-FedAvg) when a noise
 * multiplier is configured, and publishes the next version. One run per model at a time. Thread
 * safe.
 */
final class TrainingRuns implements FederatedLearning {
    /** What one round collects from its clients. */
    private static final class RoundState {
        final long runId;
        final int round;
        final Map<org.qdht.api.NodeId, Integer> accepts = new ConcurrentHashMap<>();
        final Map<org.qdht.api.NodeId, byte[][]> parts = new ConcurrentHashMap<>();
        final Map<org.qdht.api.NodeId, ModelUpdate> updates = new ConcurrentHashMap<>();
        volatile java.util.Set<org.qdht.api.NodeId> chosen = java.util.Set.of();
        volatile long baseVersion;
        volatile int dimension;
        /** Under secure aggregation: the server, the clients' ids, and which messages came from whom. */
        volatile AggregationServer server;
        final Map<org.qdht.api.NodeId, Integer> ids = new ConcurrentHashMap<>();
        final Map<String, java.util.Set<Integer>> received = new ConcurrentHashMap<>();
        final Parts parts2 = new Parts();

        java.util.Set<Integer> received(String kind) {
            return received.computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet());
        }

        RoundState(long runId, int round) {
            this.runId = runId;
            this.round = round;
        }
    }

    private final String node;
    private final DhtModelRegistry registry;
    private final SecureChannels channel;
    private final Routing routing;
    private final Function<String, Optional<LocalTrainer>> trainers;
    private final FlSettings settings;
    private final ExecutorService runs;
    private final Counters counters;
    private final Logger log;
    private final SecureRandom random = new SecureRandom();
    private final Map<ModelId, Boolean> stopRequested = new ConcurrentHashMap<>();
    private final Map<ModelId, List<RoundStatus>> history = new ConcurrentHashMap<>();
    private final Map<Long, RoundState> current = new ConcurrentHashMap<>();
    private final Map<ModelId, DpFedAvg> privacy = new ConcurrentHashMap<>();

    TrainingRuns(String node, DhtModelRegistry registry, SecureChannels channel, Routing routing, Function<String, Optional<LocalTrainer>> trainers,
            FlSettings settings, ExecutorService runs, Counters counters, Logger log) {
        this.node = node;
        this.registry = registry;
        this.channel = channel;
        this.routing = routing;
        this.trainers = trainers;
        this.settings = settings;
        this.runs = runs;
        this.counters = counters;
        this.log = log;
    }

    @Override
    public CompletionStage<ModelManifest> start(ModelId model, int rounds, int clientsPerRound, TrainingPlan plan) {
        if (rounds < 1 || rounds > MAX_ROUNDS || clientsPerRound < 1 || clientsPerRound > MAX_CLIENTS_PER_ROUND) {
            throw new IllegalArgumentException("rounds must be 1-" + MAX_ROUNDS + " and clientsPerRound 1-" + MAX_CLIENTS_PER_ROUND);
        }
        if (stopRequested.putIfAbsent(model, false) != null) {
            return CompletableFuture.failedFuture(new LearningException(Reason.ALREADY_RUNNING, "a run of " + model.name() + " is going on"));
        }
        history.put(model, Collections.synchronizedList(new ArrayList<>()));
        long runId = random.nextLong();
        return CompletableFuture.supplyAsync(() -> {
            try {
                ModelManifest last = null;
                for (int round = 1; round <= rounds; round++) {
                    if (Boolean.TRUE.equals(stopRequested.get(model))) {
                        throw new LearningException(Reason.CANCELLED, "the run of " + model.name() + " was stopped after round " + (round - 1));
                    }
                    last = round(model, runId, round, clientsPerRound, plan);
                }
                return last;
            } catch (LearningException e) {
                throw new java.util.concurrent.CompletionException(e);
            } finally {
                stopRequested.remove(model);
            }
        }, runs);
    }

    private ModelManifest round(ModelId model, long runId, int round, int clientsPerRound, TrainingPlan plan) throws LearningException {
        List<RoundStatus> rounds = history.get(model);
        RoundState state = new RoundState(runId, round);
        current.put(runId, state);
        try {
            status(rounds, model, round, RoundStatus.State.SELECTING, 0, 0, OptionalDouble.empty());
            ModelManifest manifest = await(registry.latest(model).toCompletableFuture())
                    .orElseThrow(() -> new LearningException(Reason.UNKNOWN_MODEL, "no manifest of " + model.name()));
            if (!manifest.master().equals(registry.identity().nodeId())) {
                throw new LearningException(Reason.REJECTED, "node " + node + " is not the master of " + model.name());
            }
            float[] global = await(registry.download(manifest));
            state.baseVersion = manifest.version();
            state.dimension = global.length;
            List<PeerInfo> peers = routing.knownPeers();
            for (PeerInfo p : peers.subList(0, Math.min(peers.size(), settings.maxInvited()))) {
                send(p, new Invite(runId, round, model, manifest.version(), plan));
            }
            sleep(settings.inviteMillis());
            List<org.qdht.api.NodeId> willing = new ArrayList<>(state.accepts.keySet());
            Collections.shuffle(willing, random);
            List<org.qdht.api.NodeId> chosen = willing.subList(0, Math.min(clientsPerRound, willing.size()));
            if (chosen.isEmpty()) {
                status(rounds, model, round, RoundStatus.State.FAILED, 0, 0, OptionalDouble.empty());
                throw new LearningException(Reason.NOT_ENOUGH_PARTICIPANTS, "no client accepted round " + round + " of " + model.name());
            }
            state.chosen = java.util.Set.copyOf(chosen);
            status(rounds, model, round, RoundStatus.State.TRAINING, chosen.size(), 0, OptionalDouble.empty());
            float[] change;
            int dropouts;
            if (settings.secureAggregation()) {
                if (chosen.size() < SecAggLimits.MIN_COHORT) {
                    status(rounds, model, round, RoundStatus.State.FAILED, chosen.size(), 0, OptionalDouble.empty());
                    throw new LearningException(Reason.NOT_ENOUGH_PARTICIPANTS, "secure aggregation needs at least " + SecAggLimits.MIN_COHORT
                            + " clients; " + chosen.size() + " accepted round " + round);
                }
                SecureOutcome outcome = secureRound(model, state, chosen, peers);
                change = outcome.change();
                dropouts = chosen.size() - outcome.contributors();
                status(rounds, model, round, RoundStatus.State.AGGREGATING, chosen.size(), dropouts, OptionalDouble.empty());
            } else {
                for (org.qdht.api.NodeId c : chosen) {
                    peerOf(peers, c).ifPresent(p -> send(p, new Train(runId, round, false, 0, 0, 0)));
                }
                long deadline = System.currentTimeMillis() + settings.roundMillis();
                while (state.updates.size() < chosen.size() && System.currentTimeMillis() < deadline) {
                    sleep(50);
                }
                List<ModelUpdate> updates = new ArrayList<>(state.updates.values());
                dropouts = chosen.size() - updates.size();
                status(rounds, model, round, RoundStatus.State.AGGREGATING, chosen.size(), dropouts, OptionalDouble.empty());
                if (updates.isEmpty()) {
                    status(rounds, model, round, RoundStatus.State.FAILED, chosen.size(), dropouts, OptionalDouble.empty());
                    throw new LearningException(Reason.NOT_ENOUGH_PARTICIPANTS, "no update of round " + round + " arrived before the deadline");
                }
                change = aggregate(model, updates);
            }
            float[] next = global.clone();
            for (int i = 0; i < next.length; i++) {
                next[i] += change[i];
            }
            OptionalDouble accuracy = evaluate(manifest, next);
            OptionalDouble epsilon = Optional.ofNullable(privacy.get(model)).map(p -> OptionalDouble.of(p.spent().epsilon())).orElse(OptionalDouble.empty());
            Map<String, String> training = new java.util.TreeMap<>();
            training.put("training.round", Integer.toString(round));
            training.put("training.clients", Integer.toString(chosen.size()));
            training.put("training.dropouts", Integer.toString(dropouts));
            training.put("training.aggregation", settings.secureAggregation() ? "secure" : "plain");
            training.put("training.plan", plan.epochs() + "/" + plan.batchSize() + "/" + plan.learningRate());
            accuracy.ifPresent(a -> training.put("training.accuracy", String.format(java.util.Locale.ROOT, "%.4f", a)));
            epsilon.ifPresent(e -> training.put("training.epsilon", String.format(java.util.Locale.ROOT, "%.4f", e)));
            ModelManifest published;
            try {
                published = FlCommands.publish(registry, model, manifest.version() + 1, manifest.modelType().orElse("unknown"), next, training);
            } catch (LearningException e) {
                throw e;
            } catch (Exception e) {
                throw new LearningException(Reason.REJECTED, "version " + (manifest.version() + 1) + " could not be published: " + e.getMessage(), e);
            }
            status(rounds, model, round, RoundStatus.State.COMPLETED, chosen.size(), dropouts, accuracy, epsilon);
            counters.add("rounds-completed");
            log.info("node {}: round {} of {}: {} clients, {} dropouts, version {} published{}", node, round, model.name(), chosen.size(), dropouts,
                    published.version(), accuracy.isPresent() ? String.format(", accuracy %.3f", accuracy.getAsDouble()) : "");
            return published;
        } finally {
            current.remove(runId);
        }
    }

    /** What a secure round gives: the change to apply and how many clients it combines. */
    private record SecureOutcome(float[] change, int contributors) {
    }

    /**
     * The master as secure aggregation server (Bonawitz et al.): it relays keys, pairwise
     * ciphertexts and sealed shares, adds up masked inputs and, from the survivors' shares and
     * seeds, learns only the sum. Each phase waits for every expected client or its deadline.
     */
    private SecureOutcome secureRound(ModelId model, RoundState state, List<org.qdht.api.NodeId> chosen, List<PeerInfo> peers)
            throws LearningException {
        Map<Integer, org.qdht.api.NodeId> byId = new java.util.HashMap<>();
        long cohortSamples = 0;
        for (int i = 0; i < chosen.size(); i++) {
            state.ids.put(chosen.get(i), i + 1);
            byId.put(i + 1, chosen.get(i));
            cohortSamples += state.accepts.getOrDefault(chosen.get(i), 0);
        }
        AggregationServer server = new AggregationServer(SecureRounds.secAggRound(state.runId, state.round), state.dimension);
        state.server = server;
        boolean dp = settings.noiseMultiplier() > 0;
        for (org.qdht.api.NodeId c : chosen) {
            long n = cohortSamples;
            peerOf(peers, c).ifPresent(p -> send(p, new Train(state.runId, state.round, true, state.ids.get(c), n, dp ? settings.clipNorm() : 0)));
        }
        long phase = Math.max(5_000, settings.roundMillis() / 4);
        try {
            waitFor(() -> state.received("advertise").size() == chosen.size(), settings.roundMillis()); // includes local training
            SecAggMessage.Cohort cohort;
            synchronized (server) {
                cohort = server.closeAdvertising();
            }
            for (SecAggMessage.Member m : cohort.members()) {
                peerOf(peers, byId.get(m.id())).ifPresent(p -> sendSecAgg(p, state, 0, cohort));
            }
            waitFor(() -> state.received("pairwise").size() == cohort.members().size(), phase);
            Map<Integer, SecAggMessage.CiphertextDelivery> deliveries;
            synchronized (server) {
                deliveries = server.closePairwise();
            }
            deliveries.forEach((id, d) -> peerOf(peers, byId.get(id)).ifPresent(p -> sendSecAgg(p, state, 1, d)));
            waitFor(() -> state.received("masked").size() == deliveries.size(), phase);
            Map<Integer, SecAggMessage.UnmaskingRequest> requests;
            synchronized (server) {
                requests = server.closeMaskedInput();
            }
            requests.forEach((id, r) -> peerOf(peers, byId.get(id)).ifPresent(p -> sendSecAgg(p, state, 2, r)));
            waitFor(() -> state.received("unmask").size() == requests.size(), phase);
            Aggregate aggregate;
            synchronized (server) {
                aggregate = server.finish();
            }
            float[] sum = aggregate.dequantize(SecureRounds.quantizer());
            counters.add("secure-rounds");
            if (dp) {
                DpFedAvg mechanism = privacy.computeIfAbsent(model, m -> new DpFedAvg(settings.population(), settings.delta(), settings.epsilonBudget(), random));
                return new SecureOutcome(mechanism.addNoise(ModelParameters.of(sum), settings.noiseMultiplier(), settings.clipNorm(),
                        aggregate.contributors().size()).values(), aggregate.contributors().size());
            }
            long contributing = 0;
            for (int id : aggregate.contributors()) {
                contributing += state.accepts.getOrDefault(byId.get(id), 0);
            }
            double rescale = (double) cohortSamples / Math.max(1, contributing); // clients weighted by the whole cohort's samples
            for (int i = 0; i < sum.length; i++) {
                sum[i] = (float) (sum[i] * rescale);
            }
            return new SecureOutcome(sum, aggregate.contributors().size());
        } catch (SecAggException e) {
            counters.add("secure-round-failed");
            throw new LearningException(Reason.NOT_ENOUGH_PARTICIPANTS, "secure aggregation of round " + state.round + " failed: " + e.getMessage(), e);
        }
    }

    /** A secure aggregation message from a client of one of this node's rounds; its claimed id must be the session's. */
    void onSecAgg(SecureSession session, FlMessages.SecAgg message) {
        RoundState s = current.get(message.runId());
        Integer id = s == null ? null : s.ids.get(session.peer());
        if (s == null || s.round != message.round() || id == null || s.server == null) {
            counters.add("secagg-unexpected");
            return;
        }
        Optional<byte[]> whole = s.parts2.add(session.peer().toHex() + "/" + message.messageNo(), message.part(), message.parts(), message.bytes());
        if (whole.isEmpty()) {
            return;
        }
        try {
            SecAggMessage m = SecAggMessages.decode(whole.get());
            String kind = m instanceof SecAggMessage.KeyAdvertisement k && k.sender() == id ? "advertise"
                    : m instanceof SecAggMessage.PairwiseCiphertexts p && p.sender() == id ? "pairwise"
                    : m instanceof SecAggMessage.MaskedInput x && x.sender() == id ? "masked"
                    : m instanceof SecAggMessage.UnmaskingResponse u && u.sender() == id ? "unmask" : null;
            if (kind == null) {
                counters.add("secagg-wrong-sender");
                return;
            }
            synchronized (s.server) {
                s.server.receive(m);
            }
            s.received(kind).add(id);
        } catch (Exception e) {
            counters.add("secagg-refused");
        }
    }

    private void sendSecAgg(PeerInfo peer, RoundState state, int messageNo, SecAggMessage m) {
        List<byte[]> pieces = Parts.split(SecAggMessages.encode(m));
        for (int i = 0; i < pieces.size(); i++) {
            send(peer, new FlMessages.SecAgg(state.runId, state.round, messageNo, i, pieces.size(), pieces.get(i)));
        }
    }

    private static Optional<PeerInfo> peerOf(List<PeerInfo> peers, org.qdht.api.NodeId id) {
        return peers.stream().filter(p -> p.nodeId().equals(id)).findFirst();
    }

    private static void waitFor(java.util.function.BooleanSupplier done, long millis) throws LearningException {
        long deadline = System.currentTimeMillis() + millis;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
    }

    private float[] aggregate(ModelId model, List<ModelUpdate> updates) throws LearningException {
        if (settings.noiseMultiplier() <= 0) {
            return FedAvg.weightedAverage(updates);
        }
        DpFedAvg dp = privacy.computeIfAbsent(model, m -> new DpFedAvg(settings.population(), settings.delta(), settings.epsilonBudget(), random));
        return dp.aggregate(updates, settings.noiseMultiplier(), settings.clipNorm()).values();
    }

    private OptionalDouble evaluate(ModelManifest manifest, float[] parameters) {
        try {
            Optional<LocalTrainer> own = manifest.modelType().flatMap(trainers);
            return own.isPresent() ? own.get().evaluate(ModelParameters.of(parameters)) : OptionalDouble.empty();
        } catch (Exception e) {
            return OptionalDouble.empty();
        }
    }

    /** Whether {@code runId} is one of this node's runs as master. */
    boolean owns(long runId) {
        return current.containsKey(runId);
    }

    /** A message from a client of one of this node's rounds. */
    void onAccept(SecureSession session, Accept accept) {
        RoundState s = current.get(accept.runId());
        if (s != null && s.round == accept.round()) {
            s.accepts.put(session.peer(), accept.samples());
        } else {
            counters.add("accept-unexpected");
        }
    }

    void onUpdate(SecureSession session, Update update) {
        RoundState s = current.get(update.runId());
        if (s == null || s.round != update.round() || !s.chosen.contains(session.peer()) || update.baseVersion() != s.baseVersion
                || update.parts() * (long) FlMessages.MAX_PART_BYTES < s.dimension * 4L) {
            counters.add("update-unexpected");
            return;
        }
        byte[][] parts = s.parts.computeIfAbsent(session.peer(), p -> new byte[update.parts()][]);
        if (parts.length != update.parts() || parts[update.part()] != null) {
            counters.add("update-inconsistent");
            return;
        }
        parts[update.part()] = update.bytes();
        for (byte[] p : parts) {
            if (p == null) {
                return;
            }
        }
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        if (total != s.dimension * 4) {
            counters.add("update-wrong-dimension");
            return;
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        for (byte[] p : parts) {
            all.put(p);
        }
        all.flip();
        float[] delta = new float[s.dimension];
        all.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(delta);
        try {
            s.updates.put(session.peer(), new ModelUpdate(s.baseVersion, ModelParameters.of(delta), update.samples(), Map.of()));
            counters.add("updates-received");
        } catch (IllegalArgumentException e) {
            counters.add("update-invalid"); // a non-finite value
        }
    }

    @Override
    public boolean stop(ModelId model) {
        return stopRequested.replace(model, false, true);
    }

    @Override
    public List<RoundStatus> rounds(ModelId model) {
        List<RoundStatus> r = history.get(model);
        if (r == null) {
            return List.of();
        }
        synchronized (r) {
            return List.copyOf(r);
        }
    }

    private void status(List<RoundStatus> rounds, ModelId model, int round, RoundStatus.State state, int participants, int dropouts,
            OptionalDouble accuracy) {
        status(rounds, model, round, state, participants, dropouts, accuracy, OptionalDouble.empty());
    }

    private static void status(List<RoundStatus> rounds, ModelId model, int round, RoundStatus.State state, int participants, int dropouts,
            OptionalDouble accuracy, OptionalDouble epsilon) {
        synchronized (rounds) {
            if (!rounds.isEmpty() && rounds.get(rounds.size() - 1).round() == round) {
                rounds.remove(rounds.size() - 1);
            }
            rounds.add(new RoundStatus(model, round, state, participants, dropouts, accuracy, epsilon));
        }
    }

    private void send(PeerInfo peer, FlMessages.Message m) {
        Optional<PeerAddress> address = peer.addresses().stream().filter(a -> a.scheme().equals("udp")).findFirst();
        if (address.isEmpty()) {
            return;
        }
        channel.connect(address.get(), Optional.of(peer.nodeId())).whenComplete((session, error) -> {
            if (error == null) {
                try {
                    session.send(Protocols.LEARNING, FlMessages.encode(m));
                } catch (Exception e) {
                    counters.add("send-failed");
                }
            } else {
                counters.add("send-connect-failed");
            }
        });
    }

    private static <T> T await(CompletableFuture<T> f) throws LearningException {
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof LearningException l) {
                throw l;
            }
            throw new LearningException(Reason.REJECTED, String.valueOf(c.getMessage()), c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new LearningException(Reason.TIMEOUT, "no answer from the DHT within 120 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LearningException(Reason.CANCELLED, "interrupted");
        }
    }

    private static void sleep(long millis) throws LearningException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LearningException(Reason.CANCELLED, "interrupted");
        }
    }
}
