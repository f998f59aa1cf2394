package org.qdht.crypto.bc;

import org.qdht.api.KeyId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.Aead;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.Kdf;
import org.qdht.api.crypto.KemScheme;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SignatureScheme;

/** A suite assembled from the building blocks of this package, hashing with SHA-256. Thread safe. */
public final class BcSuite implements CryptoSuite {
    private final SuiteId id;
    private final KemScheme kem;
    private final SignatureScheme signatures;
    private final Aead aead;
    private final Kdf kdf;

    public BcSuite(SuiteId id, KemScheme kem, SignatureScheme signatures, Aead aead, Kdf kdf) {
        this.id = id;
        this.kem = kem;
        this.signatures = signatures;
        this.aead = aead;
        this.kdf = kdf;
    }

    @Override
    public SuiteId id() {
        return id;
    }

    @Override
    public KemScheme kem() {
        return kem;
    }

    @Override
    public SignatureScheme signatures() {
        return signatures;
    }

    @Override
    public Aead aead() {
        return aead;
    }

    @Override
    public Kdf kdf() {
        return kdf;
    }

    @Override
    public byte[] hash(byte[] data) {
        // The JDK's SHA-256 has CPU intrinsics (SHA-NI, AVX2): several times faster than BC's on the
        // handshake transcripts (tens of KB); same function, same bytes.
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    @Override
    public KeyId keyIdOf(KeyPurpose purpose, byte[] publicKey) {
        return KeyIds.of(id, purpose, publicKey);
    }

    @Override
    public String toString() {
        return id.name() + " [" + kem.algorithm() + ", " + signatures.algorithm() + ", " + aead.algorithm() + ", "
                + kdf.algorithm() + "]";
    }
}
