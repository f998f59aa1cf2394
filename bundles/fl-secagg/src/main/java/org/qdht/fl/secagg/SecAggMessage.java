package org.qdht.fl.secagg;

import java.util.List;

import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KemCiphertext;

/**
 * The messages of one aggregation round, in the order they are sent. Every list is sorted by
 * client id without repeats, so each message has one encoding ({@link SecAggMessages}) and a
 * duplicate entry cannot even be expressed. Constructors check ids, sizes and order and throw
 * {@link IllegalArgumentException}. Arrays are not copied (masked vectors are large): do not
 * change them after handing them over.
 */
public sealed interface SecAggMessage permits SecAggMessage.KeyAdvertisement, SecAggMessage.Cohort,
        SecAggMessage.PairwiseCiphertexts, SecAggMessage.CiphertextDelivery, SecAggMessage.MaskedInput,
        SecAggMessage.UnmaskingRequest, SecAggMessage.UnmaskingResponse {

    /** The round this message belongs to. */
    long round();

    /** A member of the cohort and the KEM key it advertised. */
    record Member(int id, EncodedPublicKey kemKey) {
        public Member {
            requireId(id, "member");
            if (kemKey == null) {
                throw new IllegalArgumentException("member key must not be null");
            }
        }
    }

    /** A KEM ciphertext between the named peer and the client the message is for or from. */
    record PeerCiphertext(int peer, KemCiphertext ciphertext) {
        public PeerCiphertext {
            requireId(peer, "ciphertext peer");
            if (ciphertext == null) {
                throw new IllegalArgumentException("ciphertext must not be null");
            }
        }
    }

    /** A share of a self-mask seed, sealed for its holder; {@code peer} is the holder or the owner by context. */
    record SealedShare(int peer, byte[] box) {
        /** A share value plus an AEAD tag of up to 64 bytes. */
        public static final int MAX_BOX = Shamir.VALUE_LENGTH + 64;

        public SealedShare {
            requireId(peer, "share peer");
            if (box.length == 0 || box.length > MAX_BOX) {
                throw new IllegalArgumentException("sealed share must be 1-" + MAX_BOX + " bytes, got " + box.length);
            }
        }
    }

    /** The share of {@code owner}'s self-mask seed that the sender holds, in the clear. */
    record RevealedShare(int owner, byte[] value) {
        public RevealedShare {
            requireId(owner, "share owner");
            if (value.length != Shamir.VALUE_LENGTH) {
                throw new IllegalArgumentException("share value must be " + Shamir.VALUE_LENGTH + " bytes, got " + value.length);
            }
        }
    }

    /** The pairwise seed the sender shared with the dropped client {@code dropped}. */
    record RevealedSeed(int dropped, byte[] seed) {
        public RevealedSeed {
            requireId(dropped, "dropped client");
            if (seed.length != SecAggLimits.SEED_LENGTH) {
                throw new IllegalArgumentException("seed must be " + SecAggLimits.SEED_LENGTH + " bytes, got " + seed.length);
            }
        }
    }

    /** Phase 0, client to server: the client's fresh KEM public key for this round. */
    record KeyAdvertisement(long round, int sender, EncodedPublicKey kemKey) implements SecAggMessage {
        public KeyAdvertisement {
            requireId(sender, "sender");
            if (kemKey == null) {
                throw new IllegalArgumentException("KEM key must not be null");
            }
        }
    }

    /** End of phase 0, server to every member: who takes part, with which key, and the vector length. */
    record Cohort(long round, int vectorLength, List<Member> members) implements SecAggMessage {
        public Cohort {
            if (vectorLength < 1 || vectorLength > SecAggLimits.MAX_VECTOR_LENGTH) {
                throw new IllegalArgumentException("vector length must be 1-" + SecAggLimits.MAX_VECTOR_LENGTH + ", got " + vectorLength);
            }
            members = List.copyOf(members);
            requireAscending(members.stream().mapToInt(Member::id).toArray(), "members");
        }
    }

    /** Phase 1, client to server: one encapsulation to every member with a larger id ({@code peer} = recipient). */
    record PairwiseCiphertexts(long round, int sender, List<PeerCiphertext> ciphertexts) implements SecAggMessage {
        public PairwiseCiphertexts {
            requireId(sender, "sender");
            ciphertexts = List.copyOf(ciphertexts);
            requireAscending(ciphertexts.stream().mapToInt(PeerCiphertext::peer).toArray(), "ciphertexts");
        }
    }

    /**
     * End of phase 1, server to each client that sent its ciphertexts: the members that did
     * (U1) and the ciphertexts addressed to the recipient ({@code peer} = encapsulating sender).
     */
    record CiphertextDelivery(long round, int recipient, List<Integer> members, List<PeerCiphertext> ciphertexts)
            implements SecAggMessage {
        public CiphertextDelivery {
            requireId(recipient, "recipient");
            members = List.copyOf(members);
            requireAscending(members.stream().mapToInt(Integer::intValue).toArray(), "members");
            ciphertexts = List.copyOf(ciphertexts);
            requireAscending(ciphertexts.stream().mapToInt(PeerCiphertext::peer).toArray(), "ciphertexts");
        }
    }

    /** Phase 2, client to server: the masked vector y_u and a sealed share of b_u for every other member of U1 ({@code peer} = holder). */
    record MaskedInput(long round, int sender, int[] masked, List<SealedShare> shares) implements SecAggMessage {
        public MaskedInput {
            requireId(sender, "sender");
            if (masked.length < 1 || masked.length > SecAggLimits.MAX_VECTOR_LENGTH) {
                throw new IllegalArgumentException("masked vector must have 1-" + SecAggLimits.MAX_VECTOR_LENGTH + " entries, got " + masked.length);
            }
            shares = List.copyOf(shares);
            requireAscending(shares.stream().mapToInt(SealedShare::peer).toArray(), "shares");
        }
    }

    /**
     * End of phase 2, server to each survivor: the clients whose masked vectors it holds (U2) and
     * the sealed shares the survivors made for the recipient ({@code peer} = owner).
     */
    record UnmaskingRequest(long round, int recipient, List<Integer> survivors, List<SealedShare> shares)
            implements SecAggMessage {
        public UnmaskingRequest {
            requireId(recipient, "recipient");
            survivors = List.copyOf(survivors);
            requireAscending(survivors.stream().mapToInt(Integer::intValue).toArray(), "survivors");
            shares = List.copyOf(shares);
            requireAscending(shares.stream().mapToInt(SealedShare::peer).toArray(), "shares");
        }
    }

    /** Phase 3, client to server: shares of the survivors' b_u and the seeds shared with dropped clients, never both for one client. */
    record UnmaskingResponse(long round, int sender, List<RevealedShare> shares, List<RevealedSeed> seeds)
            implements SecAggMessage {
        public UnmaskingResponse {
            requireId(sender, "sender");
            shares = List.copyOf(shares);
            requireAscending(shares.stream().mapToInt(RevealedShare::owner).toArray(), "shares");
            seeds = List.copyOf(seeds);
            requireAscending(seeds.stream().mapToInt(RevealedSeed::dropped).toArray(), "seeds");
        }
    }

    private static void requireId(int id, String what) {
        if (!SecAggLimits.validClientId(id)) {
            throw new IllegalArgumentException(what + " id must be 1-" + SecAggLimits.MAX_CLIENT_ID + ", got " + id);
        }
    }

    private static void requireAscending(int[] ids, String what) {
        if (ids.length > SecAggLimits.MAX_COHORT) {
            throw new IllegalArgumentException(what + " has " + ids.length + " entries, maximum " + SecAggLimits.MAX_COHORT);
        }
        for (int i = 0; i < ids.length; i++) {
            requireId(ids[i], what);
            if (i > 0 && ids[i] <= ids[i - 1]) {
                throw new IllegalArgumentException(what + " must be sorted by id without repeats, " + ids[i] + " follows " + ids[i - 1]);
            }
        }
    }
}
