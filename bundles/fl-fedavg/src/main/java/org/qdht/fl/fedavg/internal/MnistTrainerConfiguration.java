package org.qdht.fl.fedavg.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One node's MNIST data and model for federated rounds (factory PID {@code org.qdht.fl.trainer.mnist}, one per node). */
@ObjectClassDefinition(name = "qDHT MNIST trainer", description = "Local training of an MNIST model on this node's share of the data set.")
public @interface MnistTrainerConfiguration {
    @AttributeDefinition(name = "Node", description = "The node whose rounds this trainer serves.")
    String node();

    @AttributeDefinition(name = "Model", description = "2nn (784-200-200-10) or logistic (784-10); the model type is mnist-<model>.")
    String model() default "2nn";

    @AttributeDefinition(name = "Data directory", description = "Directory with the four MNIST IDX files (train-images-idx3-ubyte, ...). "
            + "Nothing is downloaded at run time: the build's tests fetch them into ~/.cache/qdht/mnist.")
    String dataDirectory();

    @AttributeDefinition(name = "Split", description = "iid (100 clients x 600 random examples) or noniid (sorted by label, 2 shards of 300 each).")
    String split() default "iid";

    @AttributeDefinition(name = "Client", description = "Which of the 100 clients of the split this node is (0-99); -1 for no training data "
            + "(a master that only evaluates).")
    int client() default 0;

    @AttributeDefinition(name = "Split seed", description = "Seed of the split: every node of one experiment must use the same.")
    long seed() default 1;

    @AttributeDefinition(name = "Evaluate", description = "Whether this trainer evaluates models on the 10,000 test images (a master's).")
    boolean evaluate() default false;
}
