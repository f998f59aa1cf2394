/**
 * Federated learning of shared models: a {@link org.qdht.api.learning.ModelRegistry} of models
 * shared as content-addressed chunks under {@link org.qdht.api.learning.ModelManifest}s signed by
 * master nodes; training runs of FedAvg rounds ({@link org.qdht.api.learning.FederatedLearning});
 * local training by third-party {@link org.qdht.api.learning.LocalTrainer}s on data that never
 * leaves the device; weighted aggregation ({@link org.qdht.api.learning.Aggregator}); and
 * differential privacy by clipping and Gaussian noise ({@link org.qdht.api.learning.PrivacyMechanism}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.qdht.api.learning;
