package org.qdht.fl.fedavg.internal;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import org.osgi.service.log.Logger;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.learning.LocalTrainer;
import org.qdht.api.routing.Routing;
import org.qdht.api.wire.WireFormatException;

/**
 * Federated learning of one node: its registry, its part as a client in others' rounds and its
 * runs as a master. Messages of {@link org.qdht.api.channel.Protocols#LEARNING} are dispatched
 * here; a malformed one is counted and dropped. Thread safe.
 */
final class FlNode {
    private final DhtModelRegistry registry;
    private final RoundParticipant participant;
    private final TrainingRuns runs;
    private final Counters counters;

    FlNode(DhtModelRegistry registry, SecureChannels channel, Routing routing, Function<String, Optional<LocalTrainer>> trainers,
            java.util.function.Supplier<Optional<org.qdht.api.crypto.CryptoSuite>> suite, FlSettings settings, ExecutorService work,
            Counters counters, Logger log) {
        this.registry = registry;
        this.counters = counters;
        this.participant = new RoundParticipant(registry, trainers, suite, work, counters);
        this.runs = new TrainingRuns(registry.node(), registry, channel, routing, trainers, settings, work, counters, log);
    }

    DhtModelRegistry registry() {
        return registry;
    }

    TrainingRuns runs() {
        return runs;
    }

    Counters counters() {
        return counters;
    }

    void onMessage(SecureSession session, byte[] message) {
        FlMessages.Message m;
        try {
            m = FlMessages.decode(message);
        } catch (WireFormatException e) {
            counters.add("message-malformed");
            return;
        }
        if (m instanceof FlMessages.Invite i) {
            participant.onInvite(session, i);
        } else if (m instanceof FlMessages.Train t) {
            participant.onTrain(session, t);
        } else if (m instanceof FlMessages.Accept a) {
            runs.onAccept(session, a);
        } else if (m instanceof FlMessages.Update u) {
            runs.onUpdate(session, u);
        } else if (m instanceof FlMessages.SecAgg x) {
            if (runs.owns(x.runId())) {
                runs.onSecAgg(session, x);
            } else {
                participant.onSecAgg(session, x);
            }
        } else {
            counters.add("invites-declined-by-peers");
        }
    }
}
