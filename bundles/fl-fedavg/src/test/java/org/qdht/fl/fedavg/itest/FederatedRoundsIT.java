package org.qdht.fl.fedavg.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.learning.FederatedLearning;
import org.qdht.api.learning.LocalTrainer;
import org.qdht.api.learning.ModelId;
import org.qdht.api.learning.ModelManifest;
import org.qdht.api.learning.RoundStatus;
import org.qdht.api.learning.TrainingPlan;
import org.qdht.fl.core.MnistFiles;
import org.qdht.testsupport.Testnet;

/**
 * A master and five clients on loopback UDP, each client with its 600 MNIST training images of the
 * paper's IID split behind the bundle's MNIST {@link LocalTrainer} (logistic regression, configured
 * through ConfigAdmin); the master evaluates on the 10,000 test images.
 * Federated rounds run over the nodes' secure channels with secure aggregation (the default), and
 * the model travels through the DHT.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class FederatedRoundsIT {
    private static final int CLIENTS = 5;
    private static final int BASE_PORT = 4940;
    private static final String TYPE = "mnist-logistic";

    @InjectBundleContext
    static BundleContext context;
    @InjectService
    static ConfigurationAdmin cm;

    private static Testnet net;
    private static final List<org.osgi.service.cm.Configuration> trainers = new java.util.ArrayList<>();

    @BeforeAll
    static void startTestnet() throws Exception {
        java.nio.file.Path data = MnistFiles.ensure(MnistFiles.defaultCache()).directory(); // fetched by the build, as fl-core's tests do
        net = new Testnet(context, cm, BASE_PORT);
        net.configure("org.qdht.transport.udp", "org.qdht.transport.udp.internal.UdpTransportComponent", Map.of("bindAddress", "127.0.0.1"));
        net.configure("org.qdht.channel", "org.qdht.channel.internal.ChannelComponent", Map.of("minPeerPuzzleDifficulty", 8));
        Map<String, Object> kademlia = new HashMap<>();
        kademlia.put("bootstrap", new String[] {net.bootstrapAddress()});
        kademlia.put("minPublisherPuzzleDifficulty", 8);
        net.configure("org.qdht.routing.kademlia", "org.qdht.routing.kademlia.internal.KademliaComponent", kademlia);
        net.configure("org.qdht.fl.fedavg", "org.qdht.fl.fedavg.internal.FlComponent", Map.of("inviteMillis", 1_000L, "roundSeconds", 60L));
        net.addNode("master", 0, Map.of());
        trainer("master", -1, true, data);
        for (int c = 1; c <= CLIENTS; c++) {
            net.addNode("client" + c, c, Map.of());
            trainer("client" + c, c - 1, false, data);
        }
        for (String n : net.names()) {
            Testnet.awaitTrue(() -> net.routing(n).size() >= 3 && net.service(FederatedLearning.class, n).isPresent()
                    && context.getServiceReferences(LocalTrainer.class, "(qdht.node.name=" + n + ")").size() == 1, n + " joined with its trainer");
        }
    }

    /** The bundle's MNIST trainer for a node: client {@code client} of the paper's IID split, or an evaluating master. */
    private static void trainer(String node, int client, boolean evaluate, java.nio.file.Path data) throws Exception {
        org.osgi.service.cm.Configuration c = cm.createFactoryConfiguration("org.qdht.fl.trainer.mnist", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("node", node);
        p.put("model", "logistic");
        p.put("dataDirectory", data.toString());
        p.put("client", client);
        p.put("evaluate", evaluate);
        c.update(p);
        trainers.add(c);
    }

    @AfterAll
    static void stopTestnet() throws Exception {
        for (org.osgi.service.cm.Configuration c : trainers) {
            c.delete();
        }
        net.close();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void roundsOverTheNetworkTrainAModelWellAboveChance() throws Exception {
        String init = command("init", "master", "mnist-lr", "logistic", "5");
        assertTrue(init.contains("version 0"), init);
        FederatedLearning fl = net.service(FederatedLearning.class, "master").orElseThrow();
        ModelManifest last = fl.start(ModelId.of("mnist-lr"), 4, 3, new TrainingPlan(1, 10, 0.1, 7)).toCompletableFuture().get(300, TimeUnit.SECONDS);
        assertEquals(4, last.version(), "one version per round");
        assertEquals("4", last.metadata().get("training.round"), "the manifest says how the version was made: " + last.metadata());
        assertEquals("secure", last.metadata().get("training.aggregation"));
        List<RoundStatus> rounds = fl.rounds(ModelId.of("mnist-lr"));
        assertEquals(4, rounds.size());
        for (RoundStatus r : rounds) {
            assertEquals(RoundStatus.State.COMPLETED, r.state(), r.toString());
            assertEquals(3, r.participants(), "C: three of the five clients per round");
            assertEquals(0, r.dropouts());
        }
        long trained = 0;
        for (int c = 1; c <= CLIENTS; c++) {
            trained += counter("client" + c, "updates-sent");
        }
        assertEquals(12, trained, "each selected client trained once per round");
        double accuracy = rounds.get(3).accuracy().orElseThrow();
        assertTrue(accuracy > 0.7, "accuracy on the 10,000 test images after 4 rounds: " + accuracy + " (chance is 0.1)");
        assertTrue(accuracy > rounds.get(0).accuracy().orElseThrow() - 0.05, "training does not go backwards");
        String counters = command("counters", "master");
        assertTrue(counters.contains("secure-rounds 4"), "every round combined the changes by secure aggregation: " + counters);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void withDifferentialPrivacyEachRoundReportsTheEpsilonSpent() throws Exception {
        net.configure("org.qdht.fl.fedavg", "org.qdht.fl.fedavg.internal.FlComponent",
                Map.of("inviteMillis", 1_000L, "roundSeconds", 60L, "noiseMultiplier", 1.0, "clipNorm", 1.0, "population", 5));
        Testnet.awaitTrue(() -> net.service(FederatedLearning.class, "master").isPresent()
                && net.service(FederatedLearning.class, "client5").isPresent(), "federated learning back with DP on");
        command("init", "master", "mnist-dp", "logistic", "6");
        FederatedLearning fl = net.service(FederatedLearning.class, "master").orElseThrow();
        fl.start(ModelId.of("mnist-dp"), 2, 3, new TrainingPlan(1, 10, 0.1, 8)).toCompletableFuture().get(300, TimeUnit.SECONDS);
        List<RoundStatus> rounds = fl.rounds(ModelId.of("mnist-dp"));
        double first = rounds.get(0).epsilon().orElseThrow();
        double second = rounds.get(1).epsilon().orElseThrow();
        assertTrue(first > 0 && second > first, "epsilon grows with every round: " + first + ", " + second);
        assertTrue(rounds.get(1).accuracy().orElseThrow() > 0.1, "the noisy model still predicts better than chance");
    }

    private static long counter(String node, String name) throws Exception {
        for (String line : command("counters", node).split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 2 && p[0].equals(name)) {
                return Long.parseLong(p[1]);
            }
        }
        return 0;
    }

    private static String command(String function, String... args) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(&(osgi.command.scope=fl)(osgi.command.function=" + function + "))");
        Object commands = context.getService(refs[0]);
        for (java.lang.reflect.Method m : commands.getClass().getMethods()) {
            if (m.getName().equals(function)) {
                if (!m.getParameterTypes()[m.getParameterCount() - 1].isArray()) {
                    return String.valueOf(m.invoke(commands, (Object[]) args));
                }
                int fixed = m.getParameterCount() - 1;
                Object[] call = new Object[m.getParameterCount()];
                System.arraycopy(args, 0, call, 0, fixed);
                call[fixed] = java.util.Arrays.copyOfRange(args, fixed, args.length);
                return String.valueOf(m.invoke(commands, call));
            }
        }
        throw new AssertionError("no command " + function);
    }
}
