package org.qdht.crypto.hqc.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.pqc.crypto.hqc.HQCKEMExtractor;
import org.bouncycastle.pqc.crypto.hqc.HQCKEMGenerator;
import org.bouncycastle.pqc.crypto.hqc.HQCParameters;
import org.bouncycastle.pqc.crypto.hqc.HQCPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.hqc.HQCPublicKeyParameters;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoException.Reason;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KemScheme;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.crypto.bc.Checks;
import org.qdht.crypto.bc.KeyIds;
import org.qdht.crypto.bc.X25519;

/**
 * The hybrid KEM HQC-128 + X25519, secure while either component is: HQC-128 (the code-based KEM
 * NIST selected in 2025, as Bouncy Castle 1.87 implements it) and X25519 (RFC 7748), joined by an
 * X-Wing-style combiner:
 *
 * <pre>
 * public key    = pk_hqc (2,241) || pk_x (32)                                   2,273 bytes
 * ciphertext    = ct_hqc (4,433) || ct_x (32, the ephemeral X25519 public key)  4,465 bytes
 * secret key    = seed (32); SHAKE256(LABEL || "/keygen" || seed, 64) = seed_hqc || sk_x
 * shared secret = SHA3-256(LABEL || ss_hqc || ss_x || ct_hqc || ct_x || pk_x)      32 bytes
 * LABEL         = ASCII "qdht/hqc128-x25519/v1"
 * </pre>
 *
 * Bouncy Castle's HQC secret key is the 32-byte HQC key-generation seed itself (the keys are
 * expanded from it at each use), so the whole secret key is one seed and
 * {@link #deriveKeyPair(byte[])} needs no seeded random source. Keys and ciphertexts are checked
 * before use: sizes, suite and purpose, the unused top bits of the HQC public key (a key with them
 * set would make encapsulations the owner cannot open), and low-order X25519 points on both sides.
 * A well-formed ciphertext that was not made for the key decapsulates to an unrelated secret
 * (implicit rejection by HQC). Thread safe.
 */
public final class HqcX25519 implements KemScheme {
    public static final String ALGORITHM = "HQC-128+X25519";
    public static final int HQC_PUBLIC_KEY_SIZE = 2241;
    public static final int HQC_CIPHERTEXT_SIZE = 4433;
    public static final int PUBLIC_KEY_SIZE = HQC_PUBLIC_KEY_SIZE + X25519.KEY_SIZE;
    public static final int CIPHERTEXT_SIZE = HQC_CIPHERTEXT_SIZE + X25519.KEY_SIZE;
    public static final int SEED_SIZE = 32;
    public static final int SHARED_SECRET_SIZE = 32;

    static final byte[] LABEL = "qdht/hqc128-x25519/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYGEN_LABEL = "qdht/hqc128-x25519/v1/keygen".getBytes(StandardCharsets.US_ASCII);
    private static final HQCParameters HQC = HQCParameters.hqc128;
    /** HQC-128's vector s has n = 17,669 bits: the last byte of the public key uses its 5 low bits only. */
    private static final int HQC_LAST_BYTE_UNUSED_BITS = 0xE0;

    private final SuiteId suite;
    private final SecureRandom random;

    public HqcX25519(SuiteId suite, SecureRandom random) {
        this.suite = suite;
        this.random = random;
        if (HQC.getPublicKeyBytes() != HQC_PUBLIC_KEY_SIZE || HQC.getEncapsulationLength() != HQC_CIPHERTEXT_SIZE) {
            // a Bouncy Castle release with another HQC revision: refuse to run rather than mis-size keys
            throw new IllegalStateException("Bouncy Castle's HQC-128 has public key " + HQC.getPublicKeyBytes()
                    + " and ciphertext " + HQC.getEncapsulationLength() + " bytes; this bundle expects "
                    + HQC_PUBLIC_KEY_SIZE + " and " + HQC_CIPHERTEXT_SIZE);
        }
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public int publicKeySize() {
        return PUBLIC_KEY_SIZE;
    }

    @Override
    public int ciphertextSize() {
        return CIPHERTEXT_SIZE;
    }

    @Override
    public int sharedSecretSize() {
        return SHARED_SECRET_SIZE;
    }

    @Override
    public KeyPair generateKeyPair() {
        byte[] seed = new byte[SEED_SIZE];
        random.nextBytes(seed);
        return toKeyPair(seed);
    }

    /** @param seed 32 bytes, from which both component keys are expanded */
    @Override
    public KeyPair deriveKeyPair(byte[] seed) throws CryptoException {
        length(seed, SEED_SIZE, ALGORITHM + " seed");
        return toKeyPair(seed.clone());
    }

    @Override
    public Encapsulation encapsulate(EncodedPublicKey recipient) throws CryptoException {
        sameSuite(recipient.suite(), "public key");
        if (recipient.purpose() != KeyPurpose.KEM) {
            throw new CryptoException(Reason.SUITE_MISMATCH, "a " + recipient.purpose() + " key cannot be used for KEM");
        }
        byte[] pk = recipient.key();
        length(pk, PUBLIC_KEY_SIZE, ALGORITHM + " public key");
        checkHqcPublicKey(pk);
        byte[] pkHqc = Arrays.copyOfRange(pk, 0, HQC_PUBLIC_KEY_SIZE);
        byte[] pkX = Arrays.copyOfRange(pk, HQC_PUBLIC_KEY_SIZE, PUBLIC_KEY_SIZE);

        byte[] ephemeral = new byte[X25519.KEY_SIZE];
        random.nextBytes(ephemeral);
        byte[] ssX = null;
        byte[] ssHqc = null;
        try {
            ssX = X25519.agree(ephemeral, pkX); // refuses a low-order recipient key
            byte[] ctX = X25519.publicKey(ephemeral);
            byte[] ctHqc;
            SecretWithEncapsulation hqc;
            try {
                hqc = new HQCKEMGenerator(random).generateEncapsulated(new HQCPublicKeyParameters(HQC, pkHqc));
            } catch (RuntimeException e) {
                throw new CryptoException(Reason.MALFORMED_INPUT, "HQC-128 refused the public key: " + e.getMessage(), e);
            }
            try {
                ctHqc = hqc.getEncapsulation();
                ssHqc = hqc.getSecret();
            } finally {
                destroyQuietly(hqc);
            }
            byte[] ct = Arrays.copyOf(ctHqc, CIPHERTEXT_SIZE);
            System.arraycopy(ctX, 0, ct, HQC_CIPHERTEXT_SIZE, X25519.KEY_SIZE);
            return new Encapsulation(KemCiphertext.of(suite, recipient.keyId(), ct),
                    SecretBytes.wrap(combine(ssHqc, ssX, ctHqc, ctX, pkX)));
        } finally {
            wipe(ephemeral, ssX, ssHqc);
        }
    }

    @Override
    public SecretBytes decapsulate(KeyPair keyPair, KemCiphertext ciphertext) throws CryptoException {
        sameSuite(keyPair.publicKey().suite(), "key pair");
        if (keyPair.publicKey().purpose() != KeyPurpose.KEM) {
            throw new CryptoException(Reason.SUITE_MISMATCH, "a " + keyPair.publicKey().purpose() + " key pair cannot be used for KEM");
        }
        sameSuite(ciphertext.suite(), "ciphertext");
        byte[] ct = ciphertext.bytes();
        length(ct, CIPHERTEXT_SIZE, ALGORITHM + " ciphertext");
        byte[] ctHqc = Arrays.copyOfRange(ct, 0, HQC_CIPHERTEXT_SIZE);
        byte[] ctX = Arrays.copyOfRange(ct, HQC_CIPHERTEXT_SIZE, CIPHERTEXT_SIZE);

        byte[] expanded = keyPair.secretKey().use(seed -> {
            length(seed, SEED_SIZE, ALGORITHM + " secret key");
            return expand(seed);
        });
        byte[] seedHqc = Arrays.copyOfRange(expanded, 0, SEED_SIZE);
        byte[] skX = Arrays.copyOfRange(expanded, SEED_SIZE, 2 * SEED_SIZE);
        byte[] ssX = null;
        byte[] ssHqc = null;
        try {
            ssX = X25519.agree(skX, ctX); // refuses a low-order ephemeral key
            byte[] pkX = X25519.publicKey(skX);
            try {
                ssHqc = new HQCKEMExtractor(new HQCPrivateKeyParameters(HQC, seedHqc)).extractSecret(ctHqc);
            } catch (RuntimeException e) {
                throw new CryptoException(Reason.MALFORMED_INPUT, "HQC-128 refused the ciphertext: " + e.getMessage(), e);
            }
            return SecretBytes.wrap(combine(ssHqc, ssX, ctHqc, ctX, pkX));
        } finally {
            wipe(expanded, seedHqc, skX, ssX, ssHqc);
        }
    }

    /**
     * The combiner: SHA3-256(LABEL || ss_hqc || ss_x || ct_hqc || ct_x || pk_x). Unlike X-Wing it also
     * binds the HQC ciphertext: X-Wing may leave out ML-KEM's ciphertext because ML-KEM's binding
     * properties are analysed; for HQC no such analysis is published, so one more hash pass over
     * 4,433 bytes buys the generic guarantee.
     */
    static byte[] combine(byte[] ssHqc, byte[] ssX, byte[] ctHqc, byte[] ctX, byte[] pkX) {
        SHA3Digest sha3 = new SHA3Digest(256);
        for (byte[] part : new byte[][] {LABEL, ssHqc, ssX, ctHqc, ctX, pkX}) {
            sha3.update(part, 0, part.length);
        }
        byte[] out = new byte[SHARED_SECRET_SIZE];
        sha3.doFinal(out, 0);
        return out;
    }

    /** SHAKE256(KEYGEN_LABEL || seed) to 64 bytes: the HQC-128 seed, then the X25519 secret key. */
    static byte[] expand(byte[] seed) {
        SHAKEDigest shake = new SHAKEDigest(256);
        shake.update(KEYGEN_LABEL, 0, KEYGEN_LABEL.length);
        shake.update(seed, 0, seed.length);
        byte[] out = new byte[2 * SEED_SIZE];
        shake.doFinal(out, 0, out.length);
        return out;
    }

    private KeyPair toKeyPair(byte[] seed) {
        byte[] expanded = expand(seed);
        byte[] seedHqc = Arrays.copyOfRange(expanded, 0, SEED_SIZE);
        byte[] skX = Arrays.copyOfRange(expanded, SEED_SIZE, 2 * SEED_SIZE);
        try {
            byte[] pkHqc = new HQCPrivateKeyParameters(HQC, seedHqc).getPublicKeyParameters().getEncoded();
            byte[] pkX = new X25519PrivateKeyParameters(skX, 0).generatePublicKey().getEncoded();
            byte[] pk = Arrays.copyOf(pkHqc, PUBLIC_KEY_SIZE);
            System.arraycopy(pkX, 0, pk, HQC_PUBLIC_KEY_SIZE, X25519.KEY_SIZE);
            EncodedPublicKey publicKey = EncodedPublicKey.of(suite, KeyPurpose.KEM, KeyIds.of(suite, KeyPurpose.KEM, pk), pk);
            return new KeyPair(publicKey, SecretBytes.wrap(seed));
        } finally {
            wipe(expanded, seedHqc, skX);
        }
    }

    private static void checkHqcPublicKey(byte[] pk) throws CryptoException {
        if ((pk[HQC_PUBLIC_KEY_SIZE - 1] & HQC_LAST_BYTE_UNUSED_BITS) != 0) {
            throw new CryptoException(Reason.MALFORMED_INPUT, "HQC-128 public key has bits set beyond its n = 17,669 bits");
        }
    }

    private void sameSuite(SuiteId actual, String what) throws CryptoException {
        Checks.sameSuite(suite, actual, what);
    }

    private static void length(byte[] bytes, int expected, String what) throws CryptoException {
        Checks.length(bytes, expected, what);
    }

    private static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }

    private static void destroyQuietly(SecretWithEncapsulation s) {
        try {
            s.destroy();
        } catch (javax.security.auth.DestroyFailedException | RuntimeException e) {
            // BC wipes its secret holder on a best-effort basis; nothing else to do
        }
    }

    @Override
    public String toString() {
        return ALGORITHM + " (" + suite + ")";
    }
}
