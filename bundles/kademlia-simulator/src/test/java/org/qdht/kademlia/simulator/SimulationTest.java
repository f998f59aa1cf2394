package org.qdht.kademlia.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.qdht.kademlia.core.KademliaParameters;

/**
 * The simulator's promises, on networks small enough for a build: a seed fixes every figure; the
 * core's lookups find the closest live node; records survive 30% abrupt churn once storers have
 * republished; forged records never come out of a get. Each test builds its own network.
 */
class SimulationTest {
    private static final int NODES = 1_000;

    /** Every figure a run reports, for comparing two runs. */
    private static List<Object> figuresOf(long seed) {
        Simulation s = Simulation.build(SimulationConfig.of(200, seed), line -> { });
        KademliaParameters p = s.config().parameters();
        LookupFigures l = s.lookups("lookups", 200, p);
        PutFigures put = s.publish(10, 2);
        GetFigures g = s.gets("gets", 50, p);
        s.depart(0.3, false);
        s.startMaintenance(60_000);
        s.settle();
        LookupFigures after = s.lookups("after", 100, p);
        return List.of(s.network().messages(), s.network().bytes(), s.scheduler().executedEvents(), l.successes(), l.hops().mean(),
                l.bytes().mean(), l.latencyMillis().percentile(0.95), put.replicas().mean(), g.successes(), g.messages().mean(),
                after.successes(), after.latencyMillis().mean(), s.tables().entries().mean());
    }

    @Test
    void theSameSeedGivesTheSameFigures() {
        List<Object> first = figuresOf(11);
        assertEquals(first, figuresOf(11));
        assertNotEquals(first, figuresOf(12));
    }

    @Test
    void lookupsOnAThousandNodesFindTheClosestLiveNode() {
        Simulation s = Simulation.build(SimulationConfig.of(NODES, 21), line -> { });
        LookupFigures f = s.lookups("k=20, alpha=3", 1_000, s.config().parameters());
        assertEquals(1_000, f.lookups());
        assertTrue(f.successRate() >= 0.99, "success " + f.successRate());
        double log2n = Math.log(NODES) / Math.log(2);
        assertTrue(f.hops().mean() >= 1 && f.hops().mean() < log2n, "mean hops " + f.hops().mean());
        Simulation.TableFigures tables = s.tables();
        assertTrue(tables.entries().mean() >= KademliaParameters.defaults().k(), "entries " + tables.entries().mean());
    }

    @Test
    void getsSucceedAfterAbruptChurnOnceStorersRepublished() {
        Simulation s = Simulation.build(SimulationConfig.of(NODES, 31), line -> { });
        KademliaParameters p = s.config().parameters();
        s.publish(200, 20);
        s.update(0.5);
        assertEquals(300, s.depart(0.3, false));
        s.startMaintenance(10 * 60_000);
        s.settle();
        GetFigures after = s.gets("after republish", 1_000, p);
        assertEquals(700, after.liveNodes());
        assertTrue(after.successRate() >= 0.99, "after republish: " + after.successRate());
        assertEquals(0, after.forgedAccepted());
        LookupFigures lookups = s.lookups("after", 300, p);
        assertTrue(lookups.successRate() >= 0.99, "lookups after churn: " + lookups.successRate());
    }

    @Test
    void withTwentyPercentAttackersDisjointPathsFindTheNodeAndNoForgedRecordPasses() {
        SimulationConfig config = SimulationConfig.of(NODES, 41).withAdversary(0.2, 0, 0.2, Adversary.Forgery.BAD_SIGNATURE);
        Simulation s = Simulation.build(config, line -> { });
        KademliaParameters disjoint = s.config().parameters().withDisjointPaths(4);
        LookupFigures lookups = s.lookups("4 paths", 1_000, disjoint);
        assertTrue(lookups.successRate() >= 0.95, "success with 4 disjoint paths " + lookups.successRate());
        s.publish(200, 20);
        GetFigures onePath = s.gets("1 path", 500, s.config().parameters());
        GetFigures fourPaths = s.gets("4 paths", 500, disjoint);
        Adversary attacker = s.adversary().orElseThrow();
        assertTrue(attacker.forgeriesServed() > 0, "the attacker served forged records");
        assertTrue(onePath.forgedRefused() + fourPaths.forgedRefused() > 0, "gets met forged records and refused them");
        assertEquals(0, onePath.forgedAccepted());
        assertEquals(0, fourPaths.forgedAccepted());
        assertTrue(fourPaths.successRate() >= 0.95, "gets with 4 paths " + fourPaths.successRate());
    }
}
