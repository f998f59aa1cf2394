package org.qdht.api.learning;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs federated training of shared models from a master node: each round samples clients, has
 * them train with their {@link LocalTrainer}, combines their updates by secure aggregation, with
 * differential privacy when configured, and publishes the new version in the
 * {@link ModelRegistry}. Clipping norm, noise multiplier, privacy budget and dropout threshold come
 * from the provider's configuration. Registered by a provider per node with the service property
 * {@link org.qdht.api.node.QdhtNode#NAME_PROPERTY}. Thread safe.
 */
@ProviderType
public interface FederatedLearning {
    int MAX_ROUNDS = 10_000;
    int MAX_CLIENTS_PER_ROUND = 1_000;

    /**
     * Starts a run of {@code rounds} rounds on the latest manifest of {@code model}, with
     * {@code clientsPerRound} clients per round training by {@code plan}. Returns at once; follow
     * progress with {@link #rounds}. The stage completes with the manifest of the last version
     * published, or fails with a {@link LearningException}: {@code UNKNOWN_MODEL},
     * {@code REJECTED} (this node is not a trusted master of the model), {@code ALREADY_RUNNING},
     * {@code NOT_ENOUGH_PARTICIPANTS}, {@code PRIVACY_BUDGET_EXHAUSTED} (the versions published
     * before stay published), {@code CANCELLED} after {@link #stop}, or {@code CLOSED}.
     *
     * @throws IllegalArgumentException unless {@code rounds} is 1-{@value #MAX_ROUNDS} and
     *         {@code clientsPerRound} 1-{@value #MAX_CLIENTS_PER_ROUND}
     */
    CompletionStage<ModelManifest> start(ModelId model, int rounds, int clientsPerRound, TrainingPlan plan);

    /** Stops the run of {@code model} after the current round; false if none is running. */
    boolean stop(ModelId model);

    /** The rounds of the current or last run of {@code model} on this node, oldest first; a snapshot. */
    List<RoundStatus> rounds(ModelId model);
}
