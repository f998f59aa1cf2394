package org.qdht.fl.secagg;

import static org.qdht.fl.secagg.SecAggException.Reason.INCONSISTENT_MESSAGE;
import static org.qdht.fl.secagg.SecAggException.Reason.TOO_FEW_SURVIVORS;
import static org.qdht.fl.secagg.SecAggException.Reason.WRONG_PHASE;
import static org.qdht.fl.secagg.SecAggException.Reason.WRONG_ROUND;
import static org.qdht.fl.secagg.SecAggException.Reason.WRONG_VECTOR_LENGTH;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SecretBytes;

/**
 * One client's side of a round, as a state machine without I/O: each method takes what the
 * server sent and returns what to send back. A refused message leaves the state unchanged, so a
 * driver may drop it and wait for a good one. The client answers one unmasking request only, and
 * in it reveals for each member either the share of its self-mask seed (a survivor) or the
 * pairwise seed (a dropped client), never both: that is what keeps every input hidden.
 * Not thread safe: one driver thread per client.
 */
public final class AggregationClient implements AutoCloseable {
    private enum Phase { NEW, ADVERTISED, PAIRED, MASKED, DONE }

    private final CryptoSuite suite;
    private final SecureRandom random;
    private final long round;
    private final int id;
    private Phase phase = Phase.NEW;
    private KeyPair kemKeys;
    private Map<Integer, EncodedPublicKey> cohort;
    private int vectorLength;
    private int threshold;
    /** KEM secrets shared with each peer: from our encapsulation (peer above us) or decapsulation (below). */
    private final TreeMap<Integer, SecretBytes> shared = new TreeMap<>();
    private TreeSet<Integer> members;
    private Shamir.Share ownShare;

    public AggregationClient(CryptoSuite suite, SecureRandom random, long round, int id) {
        if (!SecAggLimits.validClientId(id)) {
            throw new IllegalArgumentException("client id must be 1-" + SecAggLimits.MAX_CLIENT_ID + ", got " + id);
        }
        this.suite = suite;
        this.random = random;
        this.round = round;
        this.id = id;
    }

    public int id() {
        return id;
    }

    public long round() {
        return round;
    }

    /** Phase 0: a fresh KEM key pair for this round only. */
    public SecAggMessage.KeyAdvertisement advertise() throws SecAggException {
        expect(Phase.NEW, "advertise");
        kemKeys = suite.kem().generateKeyPair();
        phase = Phase.ADVERTISED;
        return new SecAggMessage.KeyAdvertisement(round, id, kemKeys.publicKey());
    }

    /** Phase 1: encapsulates to every member with a larger id. */
    public SecAggMessage.PairwiseCiphertexts onCohort(SecAggMessage.Cohort message) throws SecAggException {
        check(message.round(), Phase.ADVERTISED, "cohort");
        Map<Integer, EncodedPublicKey> keys = new TreeMap<>();
        for (SecAggMessage.Member m : message.members()) {
            if (!m.kemKey().suite().equals(suite.id())) {
                throw new SecAggException(INCONSISTENT_MESSAGE, "member " + m.id() + " advertised a " + m.kemKey().suite() + " key, the round uses " + suite.id());
            }
            keys.put(m.id(), m.kemKey());
        }
        if (!kemKeys.publicKey().equals(keys.get(id))) {
            throw new SecAggException(INCONSISTENT_MESSAGE, "the cohort does not list client " + id + " with the key it advertised");
        }
        if (keys.size() < SecAggLimits.MIN_COHORT) {
            throw new SecAggException(TOO_FEW_SURVIVORS, "a cohort of " + keys.size() + " would reveal inputs, minimum " + SecAggLimits.MIN_COHORT);
        }
        TreeMap<Integer, SecretBytes> made = new TreeMap<>();
        List<SecAggMessage.PeerCiphertext> out = new ArrayList<>();
        try {
            for (Map.Entry<Integer, EncodedPublicKey> peer : keys.entrySet()) {
                if (peer.getKey() > id) {
                    Encapsulation e = suite.kem().encapsulate(peer.getValue());
                    made.put(peer.getKey(), e.sharedSecret());
                    out.add(new SecAggMessage.PeerCiphertext(peer.getKey(), e.ciphertext()));
                }
            }
        } catch (CryptoException e) {
            made.values().forEach(SecretBytes::destroy);
            throw new SecAggException(SecAggException.Reason.CRYPTO_FAILURE, "encapsulation to a member's key failed", e);
        }
        cohort = keys;
        vectorLength = message.vectorLength();
        threshold = SecAggLimits.threshold(keys.size());
        shared.putAll(made);
        phase = Phase.PAIRED;
        return new SecAggMessage.PairwiseCiphertexts(round, id, out);
    }

    /**
     * Phase 2: decapsulates the ciphertexts from members below, shares a fresh self-mask seed
     * among the members that completed phase 1, and masks {@code input}.
     */
    public SecAggMessage.MaskedInput onCiphertexts(SecAggMessage.CiphertextDelivery message, int[] input) throws SecAggException {
        check(message.round(), Phase.PAIRED, "ciphertext delivery");
        if (message.recipient() != id) {
            throw new SecAggException(INCONSISTENT_MESSAGE, "a delivery for client " + message.recipient() + " reached client " + id);
        }
        if (input.length != vectorLength) {
            throw new SecAggException(WRONG_VECTOR_LENGTH, "input has " + input.length + " entries, the round has " + vectorLength);
        }
        TreeSet<Integer> live = new TreeSet<>(message.members());
        if (!live.contains(id) || !cohort.keySet().containsAll(live)) {
            throw new SecAggException(SecAggException.Reason.UNKNOWN_CLIENT, "the members of phase 1 must include client " + id + " and belong to the cohort");
        }
        if (live.size() < threshold) {
            throw new SecAggException(TOO_FEW_SURVIVORS, live.size() + " members completed phase 1, threshold " + threshold);
        }
        TreeMap<Integer, SecretBytes> received = decapsulateAll(message, live);
        TreeMap<Integer, SecretBytes> pairs = new TreeMap<>(received);
        for (Map.Entry<Integer, SecretBytes> e : shared.entrySet()) {
            if (live.contains(e.getKey())) {
                pairs.put(e.getKey(), e.getValue());
            } else {
                e.getValue().destroy();
            }
        }
        byte[] selfSeed = new byte[SecAggLimits.SEED_LENGTH];
        random.nextBytes(selfSeed);
        int[] masked = input.clone();
        List<SecAggMessage.SealedShare> sealed = new ArrayList<>();
        try {
            int[] xs = live.stream().mapToInt(Integer::intValue).toArray();
            for (Shamir.Share share : Shamir.split(selfSeed, threshold, xs, random)) {
                if (share.x() == id) {
                    ownShare = share;
                } else {
                    sealed.add(new SecAggMessage.SealedShare(share.x(), PairwiseKeys.sealShare(suite, pairs.get(share.x()), round, id, share.x(), share)));
                }
            }
            MaskStream.apply(masked, selfSeed, false);
            for (Map.Entry<Integer, SecretBytes> pair : pairs.entrySet()) {
                // +PRG(s_uv) towards larger ids, -PRG(s_uv) towards smaller: the pair cancels in the sum
                MaskStream.apply(masked, PairwiseKeys.maskSeed(suite, pair.getValue(), round, id, pair.getKey()), pair.getKey() < id);
            }
        } catch (CryptoException e) {
            throw new SecAggException(SecAggException.Reason.CRYPTO_FAILURE, "deriving pairwise keys failed", e);
        } finally {
            Arrays.fill(selfSeed, (byte) 0);
        }
        shared.clear();
        shared.putAll(pairs);
        members = live;
        phase = Phase.MASKED;
        return new SecAggMessage.MaskedInput(round, id, masked, sealed);
    }

    /**
     * Phase 3: opens the shares of the survivors' self-mask seeds and reveals the pairwise seeds of
     * the members that dropped. Answered once; afterwards every secret of the round is wiped.
     */
    public SecAggMessage.UnmaskingResponse onUnmaskingRequest(SecAggMessage.UnmaskingRequest message) throws SecAggException {
        check(message.round(), Phase.MASKED, "unmasking request");
        if (message.recipient() != id) {
            throw new SecAggException(INCONSISTENT_MESSAGE, "a request for client " + message.recipient() + " reached client " + id);
        }
        TreeSet<Integer> survivors = new TreeSet<>(message.survivors());
        if (!survivors.contains(id) || !members.containsAll(survivors)) {
            throw new SecAggException(SecAggException.Reason.UNKNOWN_CLIENT, "survivors must include client " + id + " and have completed phase 1");
        }
        if (survivors.size() < threshold) {
            throw new SecAggException(TOO_FEW_SURVIVORS, "unmasking " + survivors.size() + " survivors would reveal too much, threshold " + threshold);
        }
        TreeSet<Integer> owners = new TreeSet<>();
        message.shares().forEach(s -> owners.add(s.peer()));
        TreeSet<Integer> expected = new TreeSet<>(survivors);
        expected.remove(id);
        if (!owners.equals(expected)) {
            // a share from a client called dropped would hand the server both halves of its masks
            throw new SecAggException(INCONSISTENT_MESSAGE, "the request must carry exactly one share from each other survivor");
        }
        List<SecAggMessage.RevealedShare> shares = new ArrayList<>();
        for (SecAggMessage.SealedShare s : message.shares()) {
            Shamir.Share share = PairwiseKeys.openShare(suite, shared.get(s.peer()), round, s.peer(), id, s.box());
            shares.add(new SecAggMessage.RevealedShare(s.peer(), share.valueBytes()));
        }
        shares.add(new SecAggMessage.RevealedShare(id, ownShare.valueBytes()));
        shares.sort((a, b) -> Integer.compare(a.owner(), b.owner()));
        List<SecAggMessage.RevealedSeed> seeds = new ArrayList<>();
        try {
            for (int member : members) {
                if (!survivors.contains(member)) {
                    seeds.add(new SecAggMessage.RevealedSeed(member, PairwiseKeys.maskSeed(suite, shared.get(member), round, id, member)));
                }
            }
        } catch (CryptoException e) {
            throw new SecAggException(SecAggException.Reason.CRYPTO_FAILURE, "deriving a pairwise seed failed", e);
        }
        close();
        return new SecAggMessage.UnmaskingResponse(round, id, shares, seeds);
    }

    /** Wipes the KEM key and the pairwise secrets; the client answers nothing afterwards. */
    @Override
    public void close() {
        phase = Phase.DONE;
        shared.values().forEach(SecretBytes::destroy);
        shared.clear();
        ownShare = null;
        if (kemKeys != null) {
            kemKeys.destroy();
        }
    }

    private TreeMap<Integer, SecretBytes> decapsulateAll(SecAggMessage.CiphertextDelivery message, TreeSet<Integer> live) throws SecAggException {
        TreeSet<Integer> senders = new TreeSet<>();
        message.ciphertexts().forEach(c -> senders.add(c.peer()));
        if (!senders.equals(new TreeSet<>(live.headSet(id)))) {
            throw new SecAggException(INCONSISTENT_MESSAGE, "client " + id + " needs one ciphertext from each member below it, got them from " + senders);
        }
        TreeMap<Integer, SecretBytes> out = new TreeMap<>();
        try {
            for (SecAggMessage.PeerCiphertext c : message.ciphertexts()) {
                if (!c.ciphertext().recipientKey().equals(kemKeys.publicKey().keyId())) {
                    throw new SecAggException(INCONSISTENT_MESSAGE, "the ciphertext from client " + c.peer() + " was made for another key");
                }
                out.put(c.peer(), suite.kem().decapsulate(kemKeys, c.ciphertext()));
            }
            return out;
        } catch (CryptoException | SecAggException e) {
            out.values().forEach(SecretBytes::destroy);
            if (e instanceof SecAggException s) {
                throw s;
            }
            throw new SecAggException(SecAggException.Reason.CRYPTO_FAILURE, "decapsulation failed", e);
        }
    }

    private void check(long messageRound, Phase wanted, String what) throws SecAggException {
        if (messageRound != round) {
            throw new SecAggException(WRONG_ROUND, "a " + what + " for round " + messageRound + " reached a client of round " + round);
        }
        expect(wanted, what);
    }

    private void expect(Phase wanted, String what) throws SecAggException {
        if (phase != wanted) {
            throw new SecAggException(WRONG_PHASE, "client " + id + " is in phase " + phase + ", cannot take a " + what);
        }
    }
}
