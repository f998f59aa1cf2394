package org.qdht.api.crypto;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.KeyId;
import org.qdht.api.SuiteId;

/**
 * One crypto suite, registered as a service by a suite bundle with the service properties
 * {@value #SUITE_CODE_PROPERTY} (Integer) and {@value #SUITE_NAME_PROPERTY}. Consumers that verify
 * objects select the suite from the object's {@link SuiteId}; a node signs with the suite its
 * configuration makes active. Suites come and go at run time with their bundles. Thread safe.
 */
@ProviderType
public interface CryptoSuite {
    /** Service property: the suite code as an Integer. */
    String SUITE_CODE_PROPERTY = "qdht.suite.code";
    /** Service property: the suite name, as {@link SuiteId#name()} writes it. */
    String SUITE_NAME_PROPERTY = "qdht.suite.name";

    SuiteId id();

    KemScheme kem();

    SignatureScheme signatures();

    Aead aead();

    Kdf kdf();

    /** The suite's 32-byte hash (SHA-256 or SHA3-256). */
    byte[] hash(byte[] data);

    /**
     * The key id of a public key: the first {@value KeyId#LENGTH} bytes of
     * {@code SHA-256("qdht/key-id/v1" || u16 suite code || u8 purpose code || key)}. Every suite
     * computes it this way, whatever its own hash, so that any node can check a key id.
     */
    KeyId keyIdOf(KeyPurpose purpose, byte[] publicKey);
}
