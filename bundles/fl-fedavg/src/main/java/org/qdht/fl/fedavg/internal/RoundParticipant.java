package org.qdht.fl.fedavg.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.learning.LocalTrainer;
import org.qdht.api.learning.ModelManifest;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;
import org.qdht.fl.fedavg.internal.FlMessages.Accept;
import org.qdht.fl.fedavg.internal.FlMessages.Decline;
import org.qdht.fl.fedavg.internal.FlMessages.Invite;
import org.qdht.fl.fedavg.internal.FlMessages.Train;
import org.qdht.fl.fedavg.internal.FlMessages.Update;

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

    private final DhtModelRegistry registry;
    private final Function<String, Optional<LocalTrainer>> trainers;
    private final ExecutorService work;
    private final Counters counters;
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();

    RoundParticipant(DhtModelRegistry registry, Function<String, Optional<LocalTrainer>> trainers, ExecutorService work, Counters counters) {
        this.registry = registry;
        this.trainers = trainers;
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
                sendUpdate(session, a.invite(), update);
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
