package org.qdht.api.crypto;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.SuiteId;
import org.qdht.api.routing.Record;

/**
 * Verifies signed objects with whichever installed suite the object names, so that a record or
 * statement signed under an older suite stays verifiable as long as that suite's bundle is
 * installed, whatever suite the node itself uses now. Thread safe.
 */
@ProviderType
public interface SignatureVerifier {
    /** The suites installed now, in code order. */
    List<SuiteId> installedSuites();

    /** The installed suite with this id, if any. */
    Optional<CryptoSuite> suite(SuiteId id);

    /**
     * Checks {@code signature} over {@code message} with the suite the signature names.
     *
     * @return false for a signature that does not verify (including malformed ones)
     * @throws CryptoException {@code UNSUPPORTED} when the signature's suite is not installed;
     *         {@code SUITE_MISMATCH} when key and signature belong to different suites or keys
     */
    boolean verify(EncodedPublicKey key, byte[] message, SuiteSignature signature) throws CryptoException;

    /**
     * Checks a record's signature over {@link Record#toBeSigned()} with the publisher's key.
     *
     * @throws CryptoException {@code UNSUPPORTED} when the record's suite is not installed;
     *         {@code SUITE_MISMATCH} when {@code publisherKey} is not the key the record names
     */
    boolean verify(Record record, EncodedPublicKey publisherKey) throws CryptoException;

    /** Checks a rotation statement: the old key's signature over the new key. */
    boolean verify(KeyRotation rotation) throws CryptoException;
}
