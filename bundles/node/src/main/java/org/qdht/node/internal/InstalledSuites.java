package org.qdht.node.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoException.Reason;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.routing.Record;

/** The {@link SignatureVerifier} of this framework: picks the installed suite each object names. */
@Component
public class InstalledSuites implements SignatureVerifier {
    private final List<CryptoSuite> suites = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSuite(CryptoSuite suite) {
        suites.add(suite);
    }

    void removeSuite(CryptoSuite suite) {
        suites.remove(suite);
    }

    @Override
    public List<SuiteId> installedSuites() {
        return suites.stream().map(CryptoSuite::id).distinct().sorted().collect(Collectors.toList());
    }

    @Override
    public Optional<CryptoSuite> suite(SuiteId id) {
        return suites.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    @Override
    public boolean verify(EncodedPublicKey key, byte[] message, SuiteSignature signature) throws CryptoException {
        return required(signature.suite()).signatures().verify(key, message, signature);
    }

    @Override
    public boolean verify(Record record, EncodedPublicKey publisherKey) throws CryptoException {
        if (!record.isSigned()) {
            return false;
        }
        if (!publisherKey.keyId().equals(record.keyId()) || !publisherKey.suite().equals(record.suite())) {
            throw new CryptoException(Reason.SUITE_MISMATCH, "the record names key " + record.keyId().toHex() + " of "
                    + record.suite() + ", not the key given to verify it");
        }
        SuiteSignature signature;
        try {
            signature = SuiteSignature.of(record.suite(), record.keyId(), record.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return required(record.suite()).signatures().verify(publisherKey, record.toBeSigned(), signature);
    }

    @Override
    public boolean verify(KeyRotation rotation) throws CryptoException {
        return verify(rotation.oldKey(), rotation.toBeSigned(), rotation.signature());
    }

    private CryptoSuite required(SuiteId id) throws CryptoException {
        return suite(id).orElseThrow(() -> new CryptoException(Reason.UNSUPPORTED, "suite " + id
                + " is not installed here; installed: " + installedSuites()));
    }
}
