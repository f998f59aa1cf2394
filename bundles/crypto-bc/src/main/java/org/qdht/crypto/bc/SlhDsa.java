package org.qdht.crypto.bc;

import java.security.SecureRandom;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.SLHDSAKeyPairGenerator;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.SLHDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.SLHDSAParameters;
import org.bouncycastle.crypto.params.SLHDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.SLHDSAPublicKeyParameters;
import org.bouncycastle.crypto.signers.SLHDSASigner;
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
 * SLH-DSA (FIPS 205, pure mode, empty context) over Bouncy Castle. Signing is randomised
 * ({@code opt_rand} from the suite's random source). Public keys are {@code PK.seed || PK.root}
 * (2n bytes), secret keys {@code SK.seed || SK.prf || PK.seed || PK.root} (4n bytes). The "s"
 * parameter sets sign very slowly (hundreds of milliseconds): use them for rarely used root keys.
 * Thread safe.
 */
public final class SlhDsa implements SignatureScheme {
    private final SuiteId suite;
    private final SLHDSAParameters parameters;
    private final SecureRandom random;
    private final int publicKeySize;
    private final int signatureSize;
    private final ExpandedKeys<SLHDSAPrivateKeyParameters> expandedKeys = new ExpandedKeys<>(SLHDSAPrivateKeyParameters::destroy);

    public SlhDsa(SuiteId suite, SLHDSAParameters parameters, SecureRandom random) {
        if (parameters.isPreHash()) {
            throw new IllegalArgumentException("only pure SLH-DSA is supported, not " + parameters.getName());
        }
        this.suite = suite;
        this.parameters = parameters;
        this.random = random;
        this.publicKeySize = 2 * parameters.getN();
        this.signatureSize = signatureSize(parameters.getName());
    }

    /** FIPS 205 table 2 signature sizes. */
    private static int signatureSize(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith("128s")) {
            return 7_856;
        } else if (n.endsWith("128f")) {
            return 17_088;
        } else if (n.endsWith("192s")) {
            return 16_224;
        } else if (n.endsWith("192f")) {
            return 35_664;
        } else if (n.endsWith("256s")) {
            return 29_792;
        } else if (n.endsWith("256f")) {
            return 49_856;
        }
        throw new IllegalArgumentException("unknown SLH-DSA parameter set " + name);
    }

    @Override
    public String algorithm() {
        // BC names the sets "sha2-128f", "shake-256s"; FIPS 205 writes SLH-DSA-SHA2-128f
        return "SLH-DSA-" + parameters.getName().replace("sha2", "SHA2").replace("shake", "SHAKE");
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
        SLHDSAKeyPairGenerator generator = new SLHDSAKeyPairGenerator();
        generator.init(new SLHDSAKeyGenerationParameters(random, parameters));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return toKeyPair((SLHDSAPrivateKeyParameters) pair.getPrivate());
    }

    /** @param seed {@code SK.seed || SK.prf || PK.seed}, 3n bytes (FIPS 205 slh_keygen_internal) */
    @Override
    public KeyPair deriveKeyPair(byte[] seed) throws CryptoException {
        int n = parameters.getN();
        Checks.length(seed, 3 * n, algorithm() + " seed");
        SLHDSAKeyPairGenerator generator = new SLHDSAKeyPairGenerator();
        generator.init(new SLHDSAKeyGenerationParameters(new SeedRandom(seed), parameters));
        return toKeyPair((SLHDSAPrivateKeyParameters) generator.generateKeyPair().getPrivate());
    }

    @Override
    public SuiteSignature sign(KeyPair keyPair, byte[] message) throws CryptoException {
        Checks.keyPair(suite, KeyPurpose.SIGNATURE, keyPair);
        SLHDSAPrivateKeyParameters key = expandedKeys.of(keyPair.secretKey(), sk -> {
            Checks.length(sk, 4 * parameters.getN(), algorithm() + " secret key");
            // BC may keep the array it is given and zero it on destroy(): hand it a copy
            return new SLHDSAPrivateKeyParameters(parameters, sk.clone());
        });
        SLHDSASigner signer = new SLHDSASigner();
        signer.init(true, new ParametersWithRandom(key, random));
        return SuiteSignature.of(suite, keyPair.publicKey().keyId(), signer.generateSignature(message));
    }

    @Override
    public boolean verify(EncodedPublicKey publicKey, byte[] message, SuiteSignature signature) throws CryptoException {
        Checks.signatureByKey(suite, publicKeySize, publicKey, signature);
        byte[] sig = signature.bytes();
        if (sig.length != signatureSize) {
            return false;
        }
        SLHDSASigner verifier = new SLHDSASigner();
        verifier.init(false, new SLHDSAPublicKeyParameters(parameters, publicKey.key()));
        return verifier.verifySignature(message, sig);
    }

    private KeyPair toKeyPair(SLHDSAPrivateKeyParameters key) {
        byte[] pk = key.getEncodedPublicKey();
        byte[] sk = key.getEncoded();
        EncodedPublicKey publicKey = EncodedPublicKey.of(suite, KeyPurpose.SIGNATURE, pk);
        return new KeyPair(publicKey, SecretBytes.wrap(sk));
    }

    @Override
    public String toString() {
        return algorithm() + " (" + suite + ")";
    }
}
