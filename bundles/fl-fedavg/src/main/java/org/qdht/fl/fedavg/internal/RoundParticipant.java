package org.qdht.fl.fedavg.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import java.util.List;

import org.qdht.api.channel.Protocols;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.fl.core.Clipping;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.learning.LocalTrainer;
import org.qdht.api.learning.ModelManifest;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;
import org.qdht.fl.fedavg.internal.FlMessages.Accept;
import org.qdht.fl.fedavg.internal.FlMessages.Decline;
import org.qdht.fl.fedavg.internal.FlMessages.Invite;
import org.qdht.fl.fedavg.internal.FlMessages.Train;
import org.qdht.fl.fedavg.internal.FlMessages.SecAgg;
import org.qdht.fl.fedavg.internal.FlMessages.Update;
import org.qdht.fl.secagg.AggregationClient;
import org.qdht.fl.secagg.Quantizer;
import org.qdht.fl.secagg.SecAggMessage;
import org.qdht.fl.secagg.SecAggMessages;

/**
 * A node's part as a client in other nodes' training runs. It accepts an invitation only for the
 * newest verified version of a model whose master is the inviting peer and for whose type the
 * node has a {@link LocalTrainer} with data; when chosen it downloads the model from the DHT, trains
 * and sends the change back to the master alone, inside the secure session. The node's data never
 * leaves it. Thread safe.
 */
final class RoundParticipant {
    private record Accepted(Invite invite, ModelManifest manifest, LocalTrainer trainer) {
    }

    /** A client's part in one round's secure aggregation: its state machine and its quantised input. */
    private record SecureRound(AggregationClient client, int[] input) {
    }

    private final DhtModelRegistry registry;
    private final Function<String, Optional<LocalTrainer>> trainers;
    private final java.util.function.Supplier<Optional<CryptoSuite>> suite;
    private final Map<String, SecureRound> secure = new ConcurrentHashMap<>();
    private final Parts parts = new Parts();
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    private final ExecutorService work;
    private final Counters counters;
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();

    RoundParticipant(DhtModelRegistry registry, Function<String, Optional<LocalTrainer>> trainers,
            java.util.function.Supplier<Optional<CryptoSuite>> suite, ExecutorService work, Counters counters) {
        this.registry = registry;
        this.trainers = trainers;
        this.suite = suite;
        this.work = work;
        this.counters = counters;
    }

    void onInvite(SecureSession session, Invite invite) {
        registry.latest(invite.model()).whenComplete((found, error) -> {
            Optional<String> refusal = error != null ? Optional.of("the model's manifest cannot be read")
                    : found.isEmpty() ? Optional.of("no manifest of " + invite.model().name())
                    : !found.get().master().equals(session.peer()) ? Optional.of("the inviting node is not the model's master")
                    : found.get().version() != invite.modelVersion() ? Optional.of("version " + invite.modelVersion() + " is not the newest")
                    : Optional.empty();
            Optional<LocalTrainer> trainer = refusal.isPresent() ? Optional.empty() : found.get().modelType().flatMap(trainers);
            if (refusal.isEmpty() && (trainer.isEmpty() || trainer.get().localSampleCount() < 1)) {
                refusal = Optional.of("no trainer with data for this model type");
            }
            if (refusal.isPresent()) {
                counters.add("invites-declined");
                send(session, new Decline(invite.runId(), invite.round(), refusal.get()));
                return;
            }
            accepted.put(key(invite.runId(), invite.round()), new Accepted(invite, found.get(), trainer.get()));
            counters.add("invites-accepted");
            send(session, new Accept(invite.runId(), invite.round(), trainer.get().localSampleCount()));
        });
    }

    void onTrain(SecureSession session, Train train) {
        Accepted a = accepted.remove(key(train.runId(), train.round()));
        if (a == null) {
            counters.add("train-unexpected");
            return;
        }
        accepted.keySet().removeIf(k -> k.startsWith(train.runId() + "/") && !k.equals(key(train.runId(), train.round())));
        registry.download(a.manifest()).thenAcceptAsync(parameters -> {
            try {
                ModelUpdate update = a.trainer().train(ModelParameters.of(parameters), a.manifest().version(), a.invite().plan());
                if (update.delta().dimension() != parameters.length || update.baseVersion() != a.manifest().version()) {
                    counters.add("train-invalid-update");
                    return;
                }
                if (train.secure()) {
                    startSecure(session, train, update);
                } else {
                    sendUpdate(session, a.invite(), update);
                }
                counters.add("updates-sent");
            } catch (Exception e) {
                counters.add("train-failed");
                send(session, new Decline(train.runId(), train.round(), "training failed: " + e.getMessage()));
            }
        }, work).exceptionally(e -> {
            counters.add("train-download-failed");
            return null;
        });
    }

    /**
     * Under secure aggregation the change is first clipped (under DP) or weighted by its share of
     * the cohort's samples, quantised, and then only ever sent masked.
     */
    private void startSecure(SecureSession session, Train train, ModelUpdate update) throws Exception {
        CryptoSuite s = suite.get().orElseThrow(() -> new IllegalStateException("the node's suite is not installed"));
        float[] delta = update.delta().values();
        float[] scaled;
        if (train.clipNorm() > 0) {
            scaled = Clipping.clipL2(delta, train.clipNorm()); // DP-FedAvg: equal weights, bounded sensitivity
        } else {
            scaled = delta.clone();
            float weight = (float) ((double) update.sampleCount() / Math.max(1, train.cohortSamples()));
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] *= weight;
            }
        }
        int[] input = SecureRounds.quantizer().quantize(scaled, Quantizer.Rounding.STOCHASTIC, random.nextLong());
        AggregationClient client = new AggregationClient(s, random, SecureRounds.secAggRound(train.runId(), train.round()), train.clientId());
        secure.put(key(train.runId(), train.round()), new SecureRound(client, input));
        sendSecAgg(session, train.runId(), train.round(), 0, client.advertise());
    }

    /** A secure aggregation message from the master of a round this node trains in. */
    void onSecAgg(SecureSession session, SecAgg message) {
        String k = key(message.runId(), message.round());
        SecureRound round = secure.get(k);
        if (round == null) {
            counters.add("secagg-unexpected");
            return;
        }
        Optional<byte[]> whole = parts.add(k + "/" + message.messageNo(), message.part(), message.parts(), message.bytes());
        if (whole.isEmpty()) {
            return;
        }
        work.execute(() -> {
            try {
                SecAggMessage m = SecAggMessages.decode(whole.get());
                if (m instanceof SecAggMessage.Cohort c) {
                    sendSecAgg(session, message.runId(), message.round(), 1, round.client().onCohort(c));
                } else if (m instanceof SecAggMessage.CiphertextDelivery d) {
                    sendSecAgg(session, message.runId(), message.round(), 2, round.client().onCiphertexts(d, round.input()));
                } else if (m instanceof SecAggMessage.UnmaskingRequest u) {
                    sendSecAgg(session, message.runId(), message.round(), 3, round.client().onUnmaskingRequest(u));
                    secure.remove(k);
                    round.client().close();
                } else {
                    counters.add("secagg-unexpected");
                }
            } catch (Exception e) {
                counters.add("secagg-failed");
            }
        });
    }

    private void sendSecAgg(SecureSession session, long runId, int round, int messageNo, SecAggMessage m) {
        List<byte[]> pieces = Parts.split(SecAggMessages.encode(m));
        for (int i = 0; i < pieces.size(); i++) {
            send(session, new SecAgg(runId, round, messageNo, i, pieces.size(), pieces.get(i)));
        }
    }

    private void sendUpdate(SecureSession session, Invite invite, ModelUpdate update) {
        float[] delta = update.delta().values();
        ByteBuffer b = ByteBuffer.allocate(delta.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(delta);
        byte[] all = b.array();
        int parts = (all.length + FlMessages.MAX_PART_BYTES - 1) / FlMessages.MAX_PART_BYTES;
        for (int i = 0; i < parts; i++) {
            byte[] part = Arrays.copyOfRange(all, i * FlMessages.MAX_PART_BYTES, Math.min(all.length, (i + 1) * FlMessages.MAX_PART_BYTES));
            send(session, new Update(invite.runId(), invite.round(), update.baseVersion(), (int) Math.min(Integer.MAX_VALUE, update.sampleCount()),
                    i, parts, part));
        }
    }

    private void send(SecureSession session, FlMessages.Message m) {
        try {
            session.send(Protocols.LEARNING, FlMessages.encode(m));
        } catch (Exception e) {
            counters.add("send-failed");
        }
    }

    private static String key(long runId, int round) {
        return runId + "/" + round;
    }
}
