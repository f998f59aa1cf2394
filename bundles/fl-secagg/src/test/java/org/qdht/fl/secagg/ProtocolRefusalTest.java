package org.qdht.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.crypto.bc.Suites;
import org.qdht.fl.secagg.SecAggException.Reason;

/** Each protocol error is refused with its reason, and a refusal leaves the round able to go on. */
class ProtocolRefusalTest {
    private static final long ROUND = 5;
    private static final int LENGTH = 64;
    private final SecureRandom random = RoundSimulation.seeded(77);
    private final CryptoSuite suite = Suites.xwingMlDsa65(random);
    private AggregationServer server;
    private final Map<Integer, AggregationClient> clients = new TreeMap<>();
    private final Map<Integer, int[]> inputs = new TreeMap<>();

    @BeforeEach
    void fourClients() {
        server = new AggregationServer(ROUND, LENGTH);
        for (int id = 1; id <= 4; id++) {
            clients.put(id, new AggregationClient(suite, random, ROUND, id));
            inputs.put(id, random.ints(LENGTH).toArray());
        }
    }

    private static void refused(Reason reason, Executable step) {
        SecAggException e = assertThrows(SecAggException.class, step);
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private SecAggMessage.Cohort advertiseAll() throws SecAggException {
        for (AggregationClient c : clients.values()) {
            server.receive(c.advertise());
        }
        return server.closeAdvertising();
    }

    private Map<Integer, SecAggMessage.CiphertextDelivery> pairAll() throws SecAggException {
        SecAggMessage.Cohort cohort = advertiseAll();
        for (AggregationClient c : clients.values()) {
            server.receive(c.onCohort(cohort));
        }
        return server.closePairwise();
    }

    private Map<Integer, SecAggMessage.UnmaskingRequest> maskAll() throws SecAggException {
        Map<Integer, SecAggMessage.CiphertextDelivery> deliveries = pairAll();
        for (AggregationClient c : clients.values()) {
            server.receive(c.onCiphertexts(deliveries.get(c.id()), inputs.get(c.id())));
        }
        return server.closeMaskedInput();
    }

    @Test
    void anotherRoundIsRefused() throws Exception {
        AggregationClient c = clients.get(1);
        SecAggMessage.KeyAdvertisement ad = c.advertise();
        refused(Reason.WRONG_ROUND, () -> server.receive(new SecAggMessage.KeyAdvertisement(ROUND + 1, 1, ad.kemKey())));
        server.receive(ad);
    }

    @Test
    void unknownAndDuplicateSendersAreRefused() throws Exception {
        SecAggMessage.Cohort cohort = advertiseAll();
        refused(Reason.WRONG_PHASE, () -> server.receive(clients.get(1).advertise()));
        SecAggMessage.PairwiseCiphertexts fromOne = clients.get(1).onCohort(cohort);
        server.receive(fromOne);
        refused(Reason.DUPLICATE_MESSAGE, () -> server.receive(fromOne));
        refused(Reason.UNKNOWN_CLIENT, () -> server.receive(new SecAggMessage.PairwiseCiphertexts(ROUND, 9, List.of())));
    }

    @Test
    void duplicateAdvertisementIsRefused() throws Exception {
        SecAggMessage.KeyAdvertisement ad = clients.get(2).advertise();
        server.receive(ad);
        refused(Reason.DUPLICATE_MESSAGE, () -> server.receive(ad));
    }

    @Test
    void wrongVectorLengthIsRefusedByClientAndServer() throws Exception {
        Map<Integer, SecAggMessage.CiphertextDelivery> deliveries = pairAll();
        AggregationClient c = clients.get(2);
        refused(Reason.WRONG_VECTOR_LENGTH, () -> c.onCiphertexts(deliveries.get(2), new int[LENGTH + 1]));
        SecAggMessage.MaskedInput good = c.onCiphertexts(deliveries.get(2), inputs.get(2));
        SecAggMessage.MaskedInput shorter = new SecAggMessage.MaskedInput(ROUND, 2, new int[LENGTH - 1], good.shares());
        refused(Reason.WRONG_VECTOR_LENGTH, () -> server.receive(shorter));
        server.receive(good);
        refused(Reason.DUPLICATE_MESSAGE, () -> server.receive(good));
    }

    @Test
    void aTamperedShareIsRefusedAndTheIntactRequestStillWorks() throws Exception {
        Map<Integer, SecAggMessage.UnmaskingRequest> requests = maskAll();
        SecAggMessage.UnmaskingRequest request = requests.get(3);
        List<SecAggMessage.SealedShare> altered = new ArrayList<>(request.shares());
        byte[] box = altered.get(0).box().clone();
        box[box.length / 2] ^= 1;
        altered.set(0, new SecAggMessage.SealedShare(altered.get(0).peer(), box));
        AggregationClient c = clients.get(3);
        refused(Reason.SHARE_AUTHENTICATION_FAILED, () -> c.onUnmaskingRequest(new SecAggMessage.UnmaskingRequest(ROUND, 3, request.survivors(), altered)));

        // a share moved to another owner's slot fails too: the tag binds sender and recipient
        List<SecAggMessage.SealedShare> swapped = new ArrayList<>(request.shares());
        swapped.set(0, new SecAggMessage.SealedShare(swapped.get(0).peer(), request.shares().get(1).box()));
        refused(Reason.SHARE_AUTHENTICATION_FAILED, () -> c.onUnmaskingRequest(new SecAggMessage.UnmaskingRequest(ROUND, 3, request.survivors(), swapped)));

        for (Map.Entry<Integer, SecAggMessage.UnmaskingRequest> r : requests.entrySet()) {
            server.receive(clients.get(r.getKey()).onUnmaskingRequest(r.getValue()));
        }
        int[] expected = new int[LENGTH];
        inputs.values().forEach(x -> {
            for (int i = 0; i < LENGTH; i++) {
                expected[i] += x[i];
            }
        });
        assertArrayEquals(expected, server.finish().sum());
    }

    @Test
    void aClientNeverRevealsTheSeedSharesOfAClientCalledDropped() throws Exception {
        Map<Integer, SecAggMessage.UnmaskingRequest> requests = maskAll();
        SecAggMessage.UnmaskingRequest honest = requests.get(1);
        // the server claims client 4 dropped but passes on 4's sealed share: it would learn b_4 and seed_14
        List<Integer> fewer = List.of(1, 2, 3);
        refused(Reason.INCONSISTENT_MESSAGE, () -> clients.get(1).onUnmaskingRequest(new SecAggMessage.UnmaskingRequest(ROUND, 1, fewer, honest.shares())));
        SecAggMessage.UnmaskingResponse answer = clients.get(1).onUnmaskingRequest(honest);
        assertEquals(4, answer.shares().size());
        assertEquals(0, answer.seeds().size());
        refused(Reason.WRONG_PHASE, () -> clients.get(1).onUnmaskingRequest(honest));
    }

    @Test
    void aRequestWithTooFewSurvivorsIsRefusedByTheClient() throws Exception {
        Map<Integer, SecAggMessage.UnmaskingRequest> requests = maskAll();
        SecAggMessage.UnmaskingRequest honest = requests.get(1);
        // threshold for 4 is 3: two survivors would let the server learn a difference of two inputs
        List<SecAggMessage.SealedShare> one = List.of(honest.shares().get(0));
        refused(Reason.TOO_FEW_SURVIVORS, () -> clients.get(1).onUnmaskingRequest(new SecAggMessage.UnmaskingRequest(ROUND, 1, List.of(1, 2), one)));
    }

    @Test
    void aCohortWithoutTheClientsKeyIsRefused() throws Exception {
        SecAggMessage.Cohort cohort = advertiseAll();
        List<SecAggMessage.Member> members = new ArrayList<>(cohort.members());
        members.set(0, new SecAggMessage.Member(1, members.get(1).kemKey()));
        refused(Reason.INCONSISTENT_MESSAGE, () -> clients.get(1).onCohort(new SecAggMessage.Cohort(ROUND, LENGTH, members)));
        clients.get(1).onCohort(cohort);
    }

    @Test
    void incompleteCiphertextsAreRefused() throws Exception {
        SecAggMessage.Cohort cohort = advertiseAll();
        SecAggMessage.PairwiseCiphertexts full = clients.get(1).onCohort(cohort);
        refused(Reason.INCONSISTENT_MESSAGE, () -> server.receive(new SecAggMessage.PairwiseCiphertexts(ROUND, 1, full.ciphertexts().subList(0, 2))));
        server.receive(full);
    }

    @Test
    void tooFewAdvertisementsAreRefused() throws Exception {
        server.receive(clients.get(1).advertise());
        server.receive(clients.get(2).advertise());
        refused(Reason.TOO_FEW_SURVIVORS, server::closeAdvertising);
        assertEquals(AggregationServer.Phase.FAILED, server.phase());
    }
}
