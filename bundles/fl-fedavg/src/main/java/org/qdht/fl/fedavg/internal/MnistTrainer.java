package org.qdht.fl.fedavg.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.qdht.api.learning.LearningException;
import org.qdht.api.learning.LocalTrainer;
import org.qdht.api.learning.ModelParameters;
import org.qdht.api.learning.ModelUpdate;
import org.qdht.api.learning.TrainingPlan;
import org.qdht.fl.core.Dataset;
import org.qdht.fl.core.LogisticRegression;
import org.qdht.fl.core.Mnist;
import org.qdht.fl.core.MnistFiles;
import org.qdht.fl.core.Model;
import org.qdht.fl.core.Splits;
import org.qdht.fl.core.TwoNN;

/**
 * A node's local training on its share of MNIST, as the paper splits it, behind the
 * {@link LocalTrainer} contract (model type {@code mnist-2nn} or {@code mnist-logistic}). It reads
 * the IDX files from a configured directory and never downloads; the data stay on the node. One
 * per factory configuration. Thread safe (one training at a time).
 */
@Component(service = {}, configurationPid = MnistTrainer.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MnistTrainerConfiguration.class, factory = true)
public final class MnistTrainer implements LocalTrainer {
    static final String PID = "org.qdht.fl.trainer.mnist";
    private static final int CLIENTS = 100;
    private static final int PER_CLIENT = 600;

    private Model model;
    private Dataset local;
    private Dataset test;
    private ServiceRegistration<LocalTrainer> registration;

    @Activate
    void activate(BundleContext context, MnistTrainerConfiguration config) throws IOException {
        model = switch (config.model()) {
            case "2nn" -> TwoNN.MNIST;
            case "logistic" -> LogisticRegression.MNIST;
            default -> throw new IllegalArgumentException("model must be 2nn or logistic, got " + config.model());
        };
        if (config.client() < -1 || config.client() >= CLIENTS) {
            throw new IllegalArgumentException("client must be -1 or 0-" + (CLIENTS - 1) + ", got " + config.client());
        }
        Path dir = Path.of(config.dataDirectory());
        if (config.client() >= 0) {
            Dataset train = Mnist.load(dir.resolve(MnistFiles.TRAIN_IMAGES), dir.resolve(MnistFiles.TRAIN_LABELS));
            int[][] split = switch (config.split()) {
                case "iid" -> Splits.iid(train, CLIENTS, PER_CLIENT, config.seed());
                case "noniid" -> Splits.pathologicalNonIid(train, 2 * CLIENTS, PER_CLIENT / 2, 2, config.seed());
                default -> throw new IllegalArgumentException("split must be iid or noniid, got " + config.split());
            };
            local = train.subset(split[config.client()]);
        }
        if (config.evaluate()) {
            test = Mnist.load(dir.resolve(MnistFiles.TEST_IMAGES), dir.resolve(MnistFiles.TEST_LABELS));
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(LocalTrainer.NODE_PROPERTY, config.node());
        props.put(LocalTrainer.MODEL_TYPE_PROPERTY, "mnist-" + config.model());
        registration = context.registerService(LocalTrainer.class, this, props);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
    }

    @Override
    public synchronized ModelUpdate train(ModelParameters global, long modelVersion, TrainingPlan plan) throws LearningException {
        if (local == null) {
            throw new LearningException(LearningException.Reason.TRAINING_FAILED, "this node has no training data");
        }
        float[] start = global.values();
        if (start.length != model.parameterCount()) {
            throw new LearningException(LearningException.Reason.TRAINING_FAILED, "the model has " + start.length + " parameters, "
                    + model.parameterCount() + " expected");
        }
        float[] params = start.clone();
        int[] all = new int[local.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        int batch = plan.batchSize() == TrainingPlan.FULL_BATCH ? local.size() : plan.batchSize();
        model.train(params, local, all, plan.epochs(), batch, (float) plan.learningRate(), new SplittableRandom(plan.seed()));
        for (int i = 0; i < params.length; i++) {
            params[i] -= start[i];
        }
        return new ModelUpdate(modelVersion, ModelParameters.of(params), local.size(), Map.of());
    }

    @Override
    public int localSampleCount() {
        return local == null ? 0 : local.size();
    }

    @Override
    public synchronized OptionalDouble evaluate(ModelParameters parameters) {
        if (test == null || parameters.dimension() != model.parameterCount()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(model.accuracy(parameters.values(), test));
    }
}
