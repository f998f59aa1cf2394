package org.qdht.kademlia.simulator;

import java.util.List;
import java.util.Optional;

import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.routing.Record;

/**
 * Verifies with the real suites it was given (Bouncy Castle, outside OSGi), so that every record a
 * simulated node stores or returns costs a real post-quantum verification, and a forged one really
 * fails. Counts verifications, for the cost figures. Single threaded.
 */
public final class SuiteVerifier implements SignatureVerifier {
    private final List<CryptoSuite> suites;
    private long verifications;

    public SuiteVerifier(List<CryptoSuite> suites) {
        this.suites = List.copyOf(suites);
    }

    public long verifications() {
        return verifications;
    }

    @Override
    public List<SuiteId> installedSuites() {
        return suites.stream().map(CryptoSuite::id).toList();
    }

    @Override
    public Optional<CryptoSuite> suite(SuiteId id) {
        return suites.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    @Override
    public boolean verify(EncodedPublicKey key, byte[] message, SuiteSignature signature) throws CryptoException {
        CryptoSuite suite = suite(key.suite())
                .orElseThrow(() -> new CryptoException(CryptoException.Reason.UNSUPPORTED, "suite " + key.suite() + " is not installed"));
        verifications++;
        return suite.signatures().verify(key, message, signature);
    }

    @Override
    public boolean verify(Record record, EncodedPublicKey publisherKey) throws CryptoException {
        if (!record.isSigned() || !publisherKey.keyId().equals(record.keyId()) || !publisherKey.suite().equals(record.suite())) {
            return false;
        }
        return verify(publisherKey, record.toBeSigned(), SuiteSignature.of(record.suite(), record.keyId(), record.signature()));
    }

    @Override
    public boolean verify(KeyRotation rotation) throws CryptoException {
        return verify(rotation.oldKey(), rotation.toBeSigned(), rotation.signature());
    }
}
