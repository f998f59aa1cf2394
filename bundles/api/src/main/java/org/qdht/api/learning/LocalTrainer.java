package org.qdht.api.learning;

import java.util.OptionalDouble;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Trains a model type on the data of this device; third parties register their own, as a
 * whiteboard service with the service properties {@value #MODEL_TYPE_PROPERTY} (String, required:
 * the model type it trains, matched against a manifest's {@link ModelManifest#MODEL_TYPE_KEY}) and
 * {@value #NODE_PROPERTY} (String: the node whose rounds it serves; absent means every node).
 * When several match, the one with the highest {@code service.ranking} trains. The local data
 * never leaves the trainer: only the {@link ModelUpdate} does.
 *
 * <p>Called by the federated-learning provider on its own threads, never on network threads, at
 * most once at a time per trainer; calls may take long. The provider interrupts the calling thread
 * to cancel a round: a trainer that sees the interrupt stops and throws {@code CANCELLED}.
 * Implementations do not change the parameters they are given (they are immutable) and are safe
 * to call from different threads one after another.
 */
@ConsumerType
public interface LocalTrainer {
    /** Service property (String): the model type this trainer trains, e.g. {@code mnist-cnn}. */
    String MODEL_TYPE_PROPERTY = "qdht.learning.modelType";
    /** Service property (String): the node whose rounds this trainer serves. */
    String NODE_PROPERTY = "qdht.node.name";

    /**
     * Trains from {@code global} following {@code plan} and returns the change: an update with
     * {@code baseVersion == modelVersion}, a delta of the same dimension as {@code global}, and the
     * number of examples trained on as its sample count.
     *
     * @throws LearningException {@code TRAINING_FAILED} (no local data, data unreadable, the
     *         parameters do not fit the model type), {@code CANCELLED} when interrupted
     */
    ModelUpdate train(ModelParameters global, long modelVersion, TrainingPlan plan) throws LearningException;

    /** Number of local examples available for training now; 0 keeps the node out of rounds. */
    int localSampleCount();

    /**
     * Accuracy of {@code parameters} on local held-out data, in [0, 1]; empty if this trainer does
     * not evaluate, which is the default.
     *
     * @throws LearningException {@code TRAINING_FAILED} or {@code CANCELLED}, as for {@link #train}
     */
    default OptionalDouble evaluate(ModelParameters parameters) throws LearningException {
        return OptionalDouble.empty();
    }
}
