package org.qdht.channel.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.routing.Record;
import org.qdht.crypto.bc.Suites;

/**
 * One side of an in-memory handshake, outside any framework: a node's identity key under one suite
 * (with a solved NodeId puzzle), the eight suites a node with the crypto-mlkem and crypto-sphincs
 * bundles offers (real Bouncy Castle code from {@link Suites}), a verifier over them, and static KEM
 * keys made once and kept, as {@code NodeChannel} keeps them. The same approach as the channel
 * bundle's {@code TestParties}.
 *
 * <p>This class sits in the channel bundle's package, {@code org.qdht.channel.internal}, because
 * {@link LocalParty}, {@link Initiator} and {@link Responder} are package-private: on the plain class
 * path of the benchmark jar a package split over two jars is allowed.
 */
final class BenchParty implements LocalParty {
    /** Puzzle bits behind the benchmark identities: setup stays fast, verification costs one hash whatever the bits. */
    static final int PUZZLE_DIFFICULTY = 8;

    final TestParties.Identity identity;
    final List<CryptoSuite> suites;
    final TestParties.Verifier verifier;
    private final Map<SuiteId, KeyPair> statics = new ConcurrentHashMap<>();

    /** A party whose identity (and active suite) is {@code active}; it offers every suite of {@link #allSuites}. */
    BenchParty(SuiteId active, SecureRandom random) {
        this.suites = allSuites(random);
        this.verifier = new TestParties.Verifier(suites);
        this.identity = new TestParties.Identity(verifier.suite(active).orElseThrow(), PUZZLE_DIFFICULTY);
    }

    /** The suites {@code crypto-mlkem} (X-Wing, ML-KEM + ML-DSA) and {@code crypto-sphincs} (ML-KEM-1024 + SLH-DSA) register. */
    static List<CryptoSuite> allSuites(SecureRandom random) {
        return List.of(
                Suites.xwingMlDsa65(random),
                Suites.mlKem512MlDsa44(random),
                Suites.mlKem768MlDsa65(random),
                Suites.mlKem1024MlDsa87(random),
                Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, random),
                Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHA2_128S, random),
                Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHAKE_128F, random),
                Suites.mlKem1024SlhDsa(SuiteId.MLKEM1024_SLHDSA_SHAKE_128S, random));
    }

    CryptoSuite active() {
        return identity.suite;
    }

    @Override
    public NodeIdentity identity() {
        return identity;
    }

    /** As {@code NodeChannel.offeredSuites()}: installed suites by code, the active one first. */
    @Override
    public List<SuiteId> offeredSuites() {
        List<SuiteId> ids = new ArrayList<>(suites.stream().map(CryptoSuite::id).sorted(Comparator.naturalOrder()).toList());
        ids.remove(identity.suite());
        ids.add(0, identity.suite());
        return ids;
    }

    @Override
    public Optional<CryptoSuite> suite(SuiteId id) {
        return verifier.suite(id);
    }

    @Override
    public SignatureVerifier verifier() {
        return verifier;
    }

    @Override
    public KeyPair staticKemKey(CryptoSuite suite) {
        return statics.computeIfAbsent(suite.id(), id -> suite.kem().generateKeyPair());
    }

    @Override
    public Optional<KeyPair> staticKemKey(KeyId id) {
        return statics.values().stream().filter(k -> k.publicKey().keyId().equals(id)).findFirst();
    }

    @Override
    public int minPeerPuzzleDifficulty() {
        return PUZZLE_DIFFICULTY;
    }
}
