package org.qdht.crypto.bc;

import java.security.SecureRandom;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.MLDSAKeyPairGenerator;
import org.bouncycastle.crypto.params.MLDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoException.Reason;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.SecretBytes;
import org.qdht.api.crypto.SignatureScheme;
import org.qdht.api.crypto.SuiteSignature;

/**
 * ML-DSA (FIPS 204, pure mode, empty context) over Bouncy Castle. Signing is hedged: the 32-byte
 * {@code rnd} comes from the suite's random source. Secret keys are the 32-byte seed {@code xi}
 * (compact at rest, as FIPS 204 recommends to store them), expanded once per key pair and kept
 * until the key pair's secret is destroyed. Thread safe.
 */
public final class MlDsa implements SignatureScheme {
    public static final int SEED_SIZE = 32;

    private final SuiteId suite;
    private final MLDSAParameters parameters;
    private final SecureRandom random;
    private final String algorithm;
    private final int publicKeySize;
    private final int signatureSize;
    /** Seeds expanded once per key pair: expanding is most of a key generation. */
    private final ExpandedKeys<MLDSAPrivateKeyParameters> expandedKeys = new ExpandedKeys<>(MLDSAPrivateKeyParameters::destroy);

    public MlDsa(SuiteId suite, MLDSAParameters parameters, SecureRandom random) {
        this.suite = suite;
        this.parameters = parameters;
        this.random = random;
        if (parameters == MLDSAParameters.ml_dsa_44) {
            algorithm = "ML-DSA-44";
            publicKeySize = 1312;
            signatureSize = 2420;
        } else if (parameters == MLDSAParameters.ml_dsa_65) {
            algorithm = "ML-DSA-65";
            publicKeySize = 1952;
            signatureSize = 3309;
        } else if (parameters == MLDSAParameters.ml_dsa_87) {
            algorithm = "ML-DSA-87";
            publicKeySize = 2592;
            signatureSize = 4627;
        } else {
            throw new IllegalArgumentException("not a pure ML-DSA parameter set: " + parameters.getName());
        }
    }

    @Override
    public String algorithm() {
        return algorithm;
    }

    @Override
    public int publicKeySize() {
        return publicKeySize;
    }

    @Override
    public int signatureSize() {
        return signatureSize;
    }

    @Override
    public KeyPair generateKeyPair() {
        MLDSAKeyPairGenerator generator = new MLDSAKeyPairGenerator();
        generator.init(new MLDSAKeyGenerationParameters(random, parameters));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        MLDSAPrivateKeyParameters key = (MLDSAPrivateKeyParameters) pair.getPrivate();
        return toKeyPair(key.getSeed(), ((MLDSAPublicKeyParameters) pair.getPublic()).getEncoded());
    }

    /** @param seed the 32-byte FIPS 204 seed {@code xi} */
    @Override
    public KeyPair deriveKeyPair(byte[] seed) throws CryptoException {
        Checks.length(seed, SEED_SIZE, algorithm + " seed");
        MLDSAPrivateKeyParameters key = new MLDSAPrivateKeyParameters(parameters, seed.clone());
        return toKeyPair(seed.clone(), key.getPublicKeyParameters().getEncoded());
    }

    @Override
    public SuiteSignature sign(KeyPair keyPair, byte[] message) throws CryptoException {
        return sign(keyPair, message, random);
    }

    /**
     * Signs with {@code rnd} drawn from {@code hedge}; FIPS 204's deterministic variant is a source
     * of zeros. For known-answer tests; everything else signs through {@link #sign(KeyPair, byte[])}.
     */
    public SuiteSignature sign(KeyPair keyPair, byte[] message, SecureRandom hedge) throws CryptoException {
        Checks.keyPair(suite, KeyPurpose.SIGNATURE, keyPair);
        MLDSAPrivateKeyParameters key = expandedKeys.of(keyPair.secretKey(), seed -> {
            Checks.length(seed, SEED_SIZE, algorithm + " secret key");
            // BC keeps the array it is given and zeroes it on destroy(): hand it a copy
            return new MLDSAPrivateKeyParameters(parameters, seed.clone());
        });
        try {
            MLDSASigner signer = new MLDSASigner();
            signer.init(true, new ParametersWithRandom(key, hedge));
            signer.update(message, 0, message.length);
            return SuiteSignature.of(suite, keyPair.publicKey().keyId(), signer.generateSignature());
        } catch (org.bouncycastle.crypto.CryptoException e) {
            throw new CryptoException(Reason.MALFORMED_INPUT, algorithm + " signing failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean verify(EncodedPublicKey publicKey, byte[] message, SuiteSignature signature) throws CryptoException {
        Checks.signatureByKey(suite, publicKeySize, publicKey, signature);
        return verifyRaw(publicKey.key(), message, signature.bytes());
    }

    /** Verifies raw FIPS 204 bytes; false for anything that is not a valid signature. */
    public boolean verifyRaw(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != publicKeySize || signature.length != signatureSize) {
            return false;
        }
        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, new MLDSAPublicKeyParameters(parameters, publicKey));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    private KeyPair toKeyPair(byte[] seed, byte[] pk) {
        EncodedPublicKey publicKey = EncodedPublicKey.of(suite, KeyPurpose.SIGNATURE, pk);
        return new KeyPair(publicKey, SecretBytes.wrap(seed));
    }

    @Override
    public String toString() {
        return algorithm() + " (" + suite + ")";
    }
}
