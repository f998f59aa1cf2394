package org.qdht.api.routing;

import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPurpose;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A record together with what any node needs to check it without asking anyone: the publisher's
 * public signature key and the nonce that solves the publisher's {@link NodeIdPuzzle}. This is the
 * form in which records travel between nodes and are kept by a {@link RecordStore}.
 *
 * <p>The constructor checks that the parts belong together (the key is the one the record names and
 * hashes to the record's publisher NodeId); it does not check the signature or the puzzle, which
 * need a crypto suite and a difficulty. Immutable and thread safe.
 *
 * @param record       the signed record
 * @param publisherKey the signature key that made {@link Record#signature()}
 * @param puzzleNonce  the publisher's proof of work for {@link Record#publisher()}
 * @since 1.1
 */
public record PublishedRecord(Record record, EncodedPublicKey publisherKey, long puzzleNonce) {
    public static final int MAX_ENCODED_SIZE = Record.MAX_ENCODED_SIZE + EncodedPublicKey.MAX_ENCODED_SIZE + 8;

    /**
     * @throws IllegalArgumentException for a null part, an unsigned record, or a key that is not a
     *         signature key, not the one the record names, or not the publisher's
     */
    public PublishedRecord {
        if (record == null || publisherKey == null) {
            throw new IllegalArgumentException("published record needs a record and the publisher's key");
        }
        String problem = mismatch(record, publisherKey);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    public void writeTo(WireWriter out) {
        Record.CODEC.write(record, out);
        publisherKey.writeTo(out);
        out.i64(puzzleNonce);
    }

    /** Reads what {@link #writeTo} wrote; a key that does not belong to the record is MALFORMED. */
    public static PublishedRecord readFrom(WireReader in) throws WireFormatException {
        Record record = Record.readFrom(in);
        int at = in.position();
        EncodedPublicKey key = EncodedPublicKey.readFrom(in);
        long nonce = in.i64("puzzle nonce");
        String problem = mismatch(record, key);
        if (problem != null) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, problem);
        }
        return new PublishedRecord(record, key, nonce);
    }

    private static String mismatch(Record record, EncodedPublicKey key) {
        if (!record.isSigned()) {
            return "a published record must be signed";
        }
        if (key.purpose() != KeyPurpose.SIGNATURE) {
            return "the publisher key must be a signature key";
        }
        if (!key.suite().equals(record.suite()) || !key.keyId().equals(record.keyId())) {
            return "the publisher key is not the key the record names";
        }
        if (!NodeIdPuzzle.nodeIdOf(key.suite(), key.key()).equals(record.publisher())) {
            return "the publisher key does not hash to the record's publisher NodeId";
        }
        return null;
    }
}
