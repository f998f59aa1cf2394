package org.qdht.fl.secagg;

import static org.qdht.fl.secagg.SecAggException.Reason.DUPLICATE_MESSAGE;
import static org.qdht.fl.secagg.SecAggException.Reason.INCONSISTENT_MESSAGE;
import static org.qdht.fl.secagg.SecAggException.Reason.TOO_FEW_SURVIVORS;
import static org.qdht.fl.secagg.SecAggException.Reason.UNKNOWN_CLIENT;
import static org.qdht.fl.secagg.SecAggException.Reason.WRONG_PHASE;
import static org.qdht.fl.secagg.SecAggException.Reason.WRONG_ROUND;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

import org.qdht.api.crypto.EncodedPublicKey;

/**
 * The server's side of a round, as a state machine without I/O. It only routes and adds: it holds
 * no key, never sees a pairwise secret of a survivor, and learns nothing of an input beyond the
 * sum. The driver passes every message to {@link #receive} and calls a {@code close...} method
 * when its phase deadline passes (or every expected message arrived); each returns what to send.
 * A refused message leaves the state unchanged. Memory: one running sum, plus the sealed shares
 * (about 100 bytes per pair of clients). Not thread safe: one driver thread.
 */
public final class AggregationServer {
    /** Where the round stands. */
    public enum Phase { ADVERTISING, PAIRWISE, MASKED_INPUT, UNMASKING, FINISHED, FAILED }

    private final long round;
    private final int vectorLength;
    private Phase phase = Phase.ADVERTISING;
    private final TreeMap<Integer, EncodedPublicKey> cohort = new TreeMap<>();
    private int threshold;
    private final TreeMap<Integer, SecAggMessage.PairwiseCiphertexts> pairwise = new TreeMap<>();
    /** U1: the clients that completed phase 1. */
    private TreeSet<Integer> paired;
    /** Sealed shares by holder, then by owner, of the clients whose masked input arrived (U2). */
    private final TreeMap<Integer, TreeMap<Integer, SecAggMessage.SealedShare>> sharesByHolder = new TreeMap<>();
    private final TreeSet<Integer> survivors = new TreeSet<>();
    private int[] sum;
    private final TreeMap<Integer, SecAggMessage.UnmaskingResponse> responses = new TreeMap<>();

    public AggregationServer(long round, int vectorLength) {
        if (vectorLength < 1 || vectorLength > SecAggLimits.MAX_VECTOR_LENGTH) {
            throw new IllegalArgumentException("vector length must be 1-" + SecAggLimits.MAX_VECTOR_LENGTH + ", got " + vectorLength);
        }
        this.round = round;
        this.vectorLength = vectorLength;
    }

    public Phase phase() {
        return phase;
    }

    /** The number of shares that reconstruct a seed, known once the cohort is closed. */
    public int threshold() {
        return threshold;
    }

    /** Takes any client message; see the typed methods for what each checks. */
    public void receive(SecAggMessage message) throws SecAggException {
        if (message instanceof SecAggMessage.KeyAdvertisement m) {
            onAdvertisement(m);
        } else if (message instanceof SecAggMessage.PairwiseCiphertexts m) {
            onPairwiseCiphertexts(m);
        } else if (message instanceof SecAggMessage.MaskedInput m) {
            onMaskedInput(m);
        } else if (message instanceof SecAggMessage.UnmaskingResponse m) {
            onUnmaskingResponse(m);
        } else {
            throw new SecAggException(WRONG_PHASE, "the server sends " + message.getClass().getSimpleName() + ", it does not take it");
        }
    }

    public void onAdvertisement(SecAggMessage.KeyAdvertisement m) throws SecAggException {
        check(m.round(), Phase.ADVERTISING, "key advertisement");
        if (cohort.containsKey(m.sender())) {
            throw new SecAggException(DUPLICATE_MESSAGE, "client " + m.sender() + " already advertised a key");
        }
        if (cohort.size() >= SecAggLimits.MAX_COHORT) {
            throw new SecAggException(SecAggException.Reason.COHORT_FULL, "the cohort already has " + SecAggLimits.MAX_COHORT + " members");
        }
        cohort.put(m.sender(), m.kemKey());
    }

    /** Ends phase 0: the cohort to send to every member. */
    public SecAggMessage.Cohort closeAdvertising() throws SecAggException {
        expect(Phase.ADVERTISING, "close of advertising");
        if (cohort.size() < SecAggLimits.MIN_COHORT) {
            throw fail(TOO_FEW_SURVIVORS, cohort.size() + " clients advertised, a round needs " + SecAggLimits.MIN_COHORT);
        }
        threshold = SecAggLimits.threshold(cohort.size());
        List<SecAggMessage.Member> members = new ArrayList<>();
        cohort.forEach((id, key) -> members.add(new SecAggMessage.Member(id, key)));
        phase = Phase.PAIRWISE;
        return new SecAggMessage.Cohort(round, vectorLength, members);
    }

    public void onPairwiseCiphertexts(SecAggMessage.PairwiseCiphertexts m) throws SecAggException {
        check(m.round(), Phase.PAIRWISE, "pairwise ciphertexts");
        requireMember(cohort.keySet(), m.sender(), "the cohort");
        if (pairwise.containsKey(m.sender())) {
            throw new SecAggException(DUPLICATE_MESSAGE, "client " + m.sender() + " already sent its ciphertexts");
        }
        requireExactly(ids(m.ciphertexts(), SecAggMessage.PeerCiphertext::peer), cohort.tailMap(m.sender(), false).keySet(),
                "client " + m.sender() + " must encapsulate to every member above it");
        pairwise.put(m.sender(), m);
    }

    /** Ends phase 1: for each client that completed it, the members that did and its ciphertexts. */
    public Map<Integer, SecAggMessage.CiphertextDelivery> closePairwise() throws SecAggException {
        expect(Phase.PAIRWISE, "close of phase 1");
        if (pairwise.size() < threshold) {
            throw fail(TOO_FEW_SURVIVORS, pairwise.size() + " of " + cohort.size() + " clients completed phase 1, threshold " + threshold);
        }
        paired = new TreeSet<>(pairwise.keySet());
        Map<Integer, List<SecAggMessage.PeerCiphertext>> inbound = new HashMap<>();
        for (SecAggMessage.PairwiseCiphertexts m : pairwise.values()) {
            for (SecAggMessage.PeerCiphertext c : m.ciphertexts()) {
                if (paired.contains(c.peer())) {
                    inbound.computeIfAbsent(c.peer(), k -> new ArrayList<>()).add(new SecAggMessage.PeerCiphertext(m.sender(), c.ciphertext()));
                }
            }
        }
        Map<Integer, SecAggMessage.CiphertextDelivery> out = new TreeMap<>();
        List<Integer> members = List.copyOf(paired);
        for (int id : paired) {
            out.put(id, new SecAggMessage.CiphertextDelivery(round, id, members, inbound.getOrDefault(id, List.of())));
        }
        pairwise.clear();
        sum = new int[vectorLength];
        phase = Phase.MASKED_INPUT;
        return out;
    }

    /** Adds the masked vector to the running sum at once, so only one vector is ever held. */
    public void onMaskedInput(SecAggMessage.MaskedInput m) throws SecAggException {
        check(m.round(), Phase.MASKED_INPUT, "masked input");
        requireMember(paired, m.sender(), "the clients of phase 1");
        if (survivors.contains(m.sender())) {
            throw new SecAggException(DUPLICATE_MESSAGE, "client " + m.sender() + " already sent its masked input");
        }
        if (m.masked().length != vectorLength) {
            throw new SecAggException(SecAggException.Reason.WRONG_VECTOR_LENGTH, "client " + m.sender() + " sent " + m.masked().length + " entries, the round has " + vectorLength);
        }
        TreeSet<Integer> holders = new TreeSet<>(paired);
        holders.remove(m.sender());
        requireExactly(ids(m.shares(), SecAggMessage.SealedShare::peer), holders, "client " + m.sender() + " must share its seed with every other member of phase 1");
        int[] masked = m.masked();
        for (int i = 0; i < vectorLength; i++) {
            sum[i] += masked[i];
        }
        for (SecAggMessage.SealedShare s : m.shares()) {
            sharesByHolder.computeIfAbsent(s.peer(), k -> new TreeMap<>()).put(m.sender(), s);
        }
        survivors.add(m.sender());
    }

    /** Ends phase 2: for each survivor, the survivor list and the sealed shares it holds of the others. */
    public Map<Integer, SecAggMessage.UnmaskingRequest> closeMaskedInput() throws SecAggException {
        expect(Phase.MASKED_INPUT, "close of phase 2");
        if (survivors.size() < threshold) {
            throw fail(TOO_FEW_SURVIVORS, survivors.size() + " of " + cohort.size() + " clients sent masked input, threshold " + threshold);
        }
        List<Integer> list = List.copyOf(survivors);
        Map<Integer, SecAggMessage.UnmaskingRequest> out = new TreeMap<>();
        for (int holder : survivors) {
            List<SecAggMessage.SealedShare> held = new ArrayList<>();
            sharesByHolder.getOrDefault(holder, new TreeMap<>()).forEach((owner, s) -> held.add(new SecAggMessage.SealedShare(owner, s.box())));
            out.put(holder, new SecAggMessage.UnmaskingRequest(round, holder, list, held));
        }
        sharesByHolder.clear();
        phase = Phase.UNMASKING;
        return out;
    }

    public void onUnmaskingResponse(SecAggMessage.UnmaskingResponse m) throws SecAggException {
        check(m.round(), Phase.UNMASKING, "unmasking response");
        requireMember(survivors, m.sender(), "the survivors");
        if (responses.containsKey(m.sender())) {
            throw new SecAggException(DUPLICATE_MESSAGE, "client " + m.sender() + " already answered");
        }
        requireExactly(ids(m.shares(), SecAggMessage.RevealedShare::owner), survivors, "client " + m.sender() + " must reveal one share per survivor");
        requireExactly(ids(m.seeds(), SecAggMessage.RevealedSeed::dropped), dropped(), "client " + m.sender() + " must reveal one seed per dropped client");
        for (SecAggMessage.RevealedShare s : m.shares()) {
            if (Shamir.Share.of(m.sender(), s.value()).isEmpty()) {
                throw new SecAggException(INCONSISTENT_MESSAGE, "client " + m.sender() + " revealed a share that is not a field element");
            }
        }
        responses.put(m.sender(), m);
    }

    /**
     * Whether {@link #finish} can succeed: threshold responses, and when clients dropped before
     * phase 2, a response from every survivor, since only it knows its seed with each of them.
     */
    public boolean canFinish() {
        return phase == Phase.UNMASKING && responses.size() >= threshold && (dropped().isEmpty() || responses.size() == survivors.size());
    }

    /** Removes the masks and returns the sum of the survivors' inputs. */
    public Aggregate finish() throws SecAggException {
        expect(Phase.UNMASKING, "finish");
        if (responses.size() < threshold) {
            throw fail(TOO_FEW_SURVIVORS, responses.size() + " of " + survivors.size() + " survivors answered the unmasking request, threshold " + threshold);
        }
        Set<Integer> dropped = dropped();
        if (!dropped.isEmpty() && responses.size() < survivors.size()) {
            throw fail(SecAggException.Reason.SEEDS_MISSING, (survivors.size() - responses.size()) + " survivors did not reveal their seeds with the "
                    + dropped.size() + " clients that dropped before phase 2");
        }
        List<SecAggMessage.UnmaskingResponse> quorum = new ArrayList<>(responses.values()).subList(0, threshold);
        for (int owner : survivors) {
            List<Shamir.Share> shares = new ArrayList<>(threshold);
            for (SecAggMessage.UnmaskingResponse r : quorum) {
                shares.add(Shamir.Share.of(r.sender(), valueOf(r, owner)).orElseThrow());
            }
            byte[] selfSeed;
            try {
                selfSeed = Shamir.reconstruct(shares, SecAggLimits.SEED_LENGTH);
            } catch (IllegalArgumentException e) {
                throw fail(INCONSISTENT_MESSAGE, "the shares of client " + owner + "'s seed do not reconstruct a seed");
            }
            MaskStream.apply(sum, selfSeed, true);
        }
        for (SecAggMessage.UnmaskingResponse r : responses.values()) {
            for (SecAggMessage.RevealedSeed s : r.seeds()) {
                // the survivor added +PRG towards a larger id and -PRG towards a smaller one: undo it
                MaskStream.apply(sum, s.seed(), s.dropped() > r.sender());
            }
        }
        phase = Phase.FINISHED;
        Aggregate result = new Aggregate(round, List.copyOf(survivors), sum);
        sum = null;
        responses.clear();
        return result;
    }

    private static byte[] valueOf(SecAggMessage.UnmaskingResponse r, int owner) {
        for (SecAggMessage.RevealedShare s : r.shares()) {
            if (s.owner() == owner) {
                return s.value();
            }
        }
        throw new IllegalStateException("a checked response lacks the share of " + owner);
    }

    private Set<Integer> dropped() {
        TreeSet<Integer> out = new TreeSet<>(paired);
        out.removeAll(survivors);
        return out;
    }

    private static <T> Set<Integer> ids(List<T> list, ToIntFunction<T> id) {
        TreeSet<Integer> out = new TreeSet<>();
        list.forEach(e -> out.add(id.applyAsInt(e)));
        return out;
    }

    private static void requireMember(Set<Integer> set, int id, String what) throws SecAggException {
        if (!set.contains(id)) {
            throw new SecAggException(UNKNOWN_CLIENT, "client " + id + " is not among " + what);
        }
    }

    private static void requireExactly(Set<Integer> got, Set<Integer> wanted, String rule) throws SecAggException {
        if (!got.equals(wanted)) {
            TreeSet<Integer> extra = new TreeSet<>(got);
            extra.removeAll(wanted);
            TreeSet<Integer> missing = new TreeSet<>(wanted);
            missing.removeAll(got);
            throw new SecAggException(extra.isEmpty() ? INCONSISTENT_MESSAGE : UNKNOWN_CLIENT, rule + ": missing " + missing + ", not expected " + extra);
        }
    }

    private void check(long messageRound, Phase wanted, String what) throws SecAggException {
        if (messageRound != round) {
            throw new SecAggException(WRONG_ROUND, "a " + what + " for round " + messageRound + " reached the server of round " + round);
        }
        expect(wanted, what);
    }

    private void expect(Phase wanted, String what) throws SecAggException {
        if (phase != wanted) {
            throw new SecAggException(WRONG_PHASE, "the server is in phase " + phase + ", cannot take a " + what);
        }
    }

    private SecAggException fail(SecAggException.Reason reason, String message) {
        phase = Phase.FAILED;
        return new SecAggException(reason, message);
    }
}
