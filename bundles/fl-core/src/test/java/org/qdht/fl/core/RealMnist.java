package org.qdht.fl.core;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The real MNIST sets, loaded once per test JVM (fetched into the cache if missing). */
final class RealMnist {
    private static Dataset train;
    private static Dataset test;

    private RealMnist() {
    }

    static synchronized Dataset train() {
        load();
        return train;
    }

    static synchronized Dataset test() {
        load();
        return test;
    }

    private static void load() {
        if (train == null) {
            try {
                MnistFiles files = MnistFiles.ensure(MnistFiles.defaultCache());
                train = files.train();
                test = files.test();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
