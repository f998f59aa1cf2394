package org.qdht.crypto.bc;

import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
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
 * ML-KEM (FIPS 203) over Bouncy Castle. Public keys are the encapsulation key {@code ek}, secret
 * keys the expanded decapsulation key {@code dk}; both are checked as FIPS 203 asks before use (a
 * dk once per key pair: it is parsed once and kept until the key pair's secret is destroyed).
 * Thread safe.
 */
public final class MlKem implements KemScheme {
    private final SuiteId suite;
    private final MLKEMParameters parameters;
    private final SecureRandom random;
    /** Decapsulation keys parsed and hash-checked once per key pair. */
    private final ExpandedKeys<MLKEMPrivateKeyParameters> expandedKeys = new ExpandedKeys<>(MLKEMPrivateKeyParameters::destroy);

    public MlKem(SuiteId suite, MLKEMParameters parameters, SecureRandom random) {
        this.suite = suite;
        this.parameters = parameters;
        this.random = random;
    }

    @Override
    public String algorithm() {
        return parameters.getName().toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public int publicKeySize() {
        return MlKemKeys.encapsulationKeySize(parameters);
    }

    @Override
    public int ciphertextSize() {
        return parameters.getEncapsulationLength();
    }

    @Override
    public int sharedSecretSize() {
        return 32;
    }

    /** Size of the FIPS 203 decapsulation key this scheme keeps as secret key. */
    public int secretKeySize() {
        return MlKemKeys.decapsulationKeySize(parameters);
    }

    @Override
    public KeyPair generateKeyPair() {
        MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
        generator.init(new MLKEMKeyGenerationParameters(random, parameters));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return toKeyPair((MLKEMPrivateKeyParameters) pair.getPrivate());
    }

    /** @param seed the 64-byte FIPS 203 seed {@code d || z} */
    @Override
    public KeyPair deriveKeyPair(byte[] seed) throws CryptoException {
        Checks.length(seed, 64, parameters.getName() + " seed");
        return toKeyPair(new MLKEMPrivateKeyParameters(parameters, seed.clone())); // BC keeps and may wipe the array it gets
    }

    /** Rebuilds a key pair from a stored FIPS 203 decapsulation key, after its hash check. */
    public KeyPair fromDecapsulationKey(byte[] dk) throws CryptoException {
        return toKeyPair(MlKemKeys.decodeDecapsulationKey(parameters, dk.clone()));
    }

    @Override
    public Encapsulation encapsulate(EncodedPublicKey recipient) throws CryptoException {
        Checks.publicKey(suite, KeyPurpose.KEM, publicKeySize(), recipient);
        byte[] ek = recipient.key();
        MlKemKeys.checkEncapsulationKey(parameters, ek, 0);
        SecretWithEncapsulation result = new MLKEMGenerator(random)
                .generateEncapsulated(new MLKEMPublicKeyParameters(parameters, ek));
        try {
            return new Encapsulation(KemCiphertext.of(suite, recipient.keyId(), result.getEncapsulation()),
                    SecretBytes.wrap(result.getSecret()));
        } finally {
            destroyQuietly(result);
        }
    }

    @Override
    public SecretBytes decapsulate(KeyPair keyPair, KemCiphertext ciphertext) throws CryptoException {
        Checks.keyPair(suite, KeyPurpose.KEM, keyPair);
        Checks.sameSuite(suite, ciphertext.suite(), "ciphertext");
        byte[] ct = ciphertext.bytes();
        Checks.length(ct, ciphertextSize(), parameters.getName() + " ciphertext");
        MLKEMPrivateKeyParameters key = expandedKeys.of(keyPair.secretKey(), dk -> MlKemKeys.decodeDecapsulationKey(parameters, dk));
        return SecretBytes.wrap(new MLKEMExtractor(key).extractSecret(ct));
    }

    /** The key pair of a key BC made or checked: kept expanded, so its first decapsulation does not rebuild it. */
    private KeyPair toKeyPair(MLKEMPrivateKeyParameters key) {
        byte[] ek = key.getPublicKey();
        byte[] dk = MlKemKeys.encodeDecapsulationKey(key, ek);
        EncodedPublicKey publicKey = EncodedPublicKey.of(suite, KeyPurpose.KEM, ek);
        KeyPair pair = new KeyPair(publicKey, SecretBytes.wrap(dk));
        expandedKeys.remember(pair.secretKey(), key);
        return pair;
    }

    static void destroyQuietly(SecretWithEncapsulation s) {
        try {
            s.destroy();
        } catch (javax.security.auth.DestroyFailedException e) {
            // BC's secret holder is wiped on a best-effort basis; nothing else to do
        }
    }

    @Override
    public String toString() {
        return algorithm() + " (" + suite + ")";
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
