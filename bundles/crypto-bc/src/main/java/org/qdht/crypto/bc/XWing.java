package org.qdht.crypto.bc;

import java.security.SecureRandom;

import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMExtractor;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.Encapsulation;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KemScheme;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SecretBytes;

/**
 * X-Wing, the hybrid of ML-KEM-768 and X25519 (draft-connolly-cfrg-xwing-kem), over Bouncy Castle:
 * secure while either component is. Public key 1,216 bytes (ML-KEM-768 {@code ek} then the X25519
 * key), ciphertext 1,120 bytes, secret key the 32-byte seed, from which both component keys are
 * expanded once per key pair. Thread safe.
 */
public final class XWing implements KemScheme {
    public static final int PUBLIC_KEY_SIZE = 1216;
    public static final int CIPHERTEXT_SIZE = 1120;
    public static final int SEED_SIZE = 32;

    private final SuiteId suite;
    private final SecureRandom random;
    /**
     * Seeds expanded once per key pair. BC's X-Wing private key cannot be wiped (it offers no
     * destroy); on the secret's destruction it is dropped for the garbage collector.
     */
    private final ExpandedKeys<XWingPrivateKeyParameters> expandedKeys = new ExpandedKeys<>(k -> { });

    public XWing(SuiteId suite, SecureRandom random) {
        this.suite = suite;
        this.random = random;
    }

    @Override
    public String algorithm() {
        return "X-Wing";
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
        return 32;
    }

    @Override
    public KeyPair generateKeyPair() {
        byte[] seed = new byte[SEED_SIZE];
        random.nextBytes(seed);
        return toKeyPair(seed);
    }

    /** @param seed the 32-byte X-Wing seed */
    @Override
    public KeyPair deriveKeyPair(byte[] seed) throws CryptoException {
        Checks.length(seed, SEED_SIZE, "X-Wing seed");
        return toKeyPair(seed.clone());
    }

    @Override
    public Encapsulation encapsulate(EncodedPublicKey recipient) throws CryptoException {
        Checks.publicKey(suite, KeyPurpose.KEM, PUBLIC_KEY_SIZE, recipient);
        byte[] pk = recipient.key();
        MlKemKeys.checkEncapsulationKey(MLKEMParameters.ml_kem_768, pk, 0);
        SecretWithEncapsulation result = new XWingKEMGenerator(random).generateEncapsulated(new XWingPublicKeyParameters(pk));
        try {
            return new Encapsulation(KemCiphertext.of(suite, recipient.keyId(), result.getEncapsulation()),
                    SecretBytes.wrap(result.getSecret()));
        } finally {
            MlKem.destroyQuietly(result);
        }
    }

    @Override
    public SecretBytes decapsulate(KeyPair keyPair, KemCiphertext ciphertext) throws CryptoException {
        Checks.keyPair(suite, KeyPurpose.KEM, keyPair);
        Checks.sameSuite(suite, ciphertext.suite(), "ciphertext");
        byte[] ct = ciphertext.bytes();
        Checks.length(ct, CIPHERTEXT_SIZE, "X-Wing ciphertext");
        XWingPrivateKeyParameters key = expandedKeys.of(keyPair.secretKey(), seed -> {
            Checks.length(seed, SEED_SIZE, "X-Wing secret key");
            return new XWingPrivateKeyParameters(seed.clone());
        });
        return SecretBytes.wrap(new XWingKEMExtractor(key).extractSecret(ct));
    }

    private KeyPair toKeyPair(byte[] seed) {
        XWingPrivateKeyParameters key = new XWingPrivateKeyParameters(seed.clone());
        byte[] pk = key.getPublicKeyParameters().getEncoded();
        EncodedPublicKey publicKey = EncodedPublicKey.of(suite, KeyPurpose.KEM, pk);
        KeyPair pair = new KeyPair(publicKey, SecretBytes.wrap(seed));
        expandedKeys.remember(pair.secretKey(), key);
        return pair;
    }

    @Override
    public String toString() {
        return "X-Wing (" + suite + ")";
    }
}
