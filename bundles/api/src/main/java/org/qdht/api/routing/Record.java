package org.qdht.api.routing;

import java.util.Arrays;

import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * A value stored in the DHT under a {@link DhtKey}, signed by its publisher.
 *
 * <p>The signature covers {@link #toBeSigned()}: a domain label and every field but the signature.
 * It names the suite and key it was made with ({@link #suite()}, {@link #keyId()}), so a record
 * signed under an older suite stays verifiable while that suite is installed. Of two records for
 * the same key and publisher, the higher {@link #version()} wins ({@link #supersedes}); a
 * {@link #isTombstone() tombstone} is how a publisher removes its value. Verification itself is
 * the crypto suite's job: this class only carries and encodes.
 *
 * <p>Limits: value at most {@value #MAX_VALUE_SIZE} bytes, signature at most
 * {@value #MAX_SIGNATURE_SIZE} bytes (an SLH-DSA-256f signature); providers may store less and
 * say so in their errors. Immutable and thread safe.
 */
public final class Record {
    public static final int MAX_VALUE_SIZE = 65_536;
    public static final int MAX_SIGNATURE_SIZE = 49_856;
    /** Domain label that starts the signed bytes, so a record signature is never valid for anything else. */
    public static final String SIGNING_DOMAIN = "qdht/record/v1";
    public static final int MAX_ENCODED_SIZE = DhtKey.LENGTH + 3 + MAX_VALUE_SIZE + 8 + 8 + NodeId.LENGTH + 2
            + KeyId.LENGTH + 1 + 3 + MAX_SIGNATURE_SIZE;

    private static final int FLAG_TOMBSTONE = 0x01;

    public static final WireCodec<Record> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.RECORD;
        }

        @Override
        public int maxBodySize() {
            return MAX_ENCODED_SIZE;
        }

        @Override
        public void write(Record value, WireWriter out) {
            value.writeContent(out);
            out.bytes(value.signature, MAX_SIGNATURE_SIZE);
        }

        @Override
        public Record read(WireReader in) throws WireFormatException {
            return Record.readFrom(in);
        }
    };

    private final DhtKey key;
    private final byte[] value;
    private final long version;
    private final long expiresAtMillis;
    private final NodeId publisher;
    private final SuiteId suite;
    private final KeyId keyId;
    private final boolean tombstone;
    private final byte[] signature;

    private Record(DhtKey key, byte[] value, long version, long expiresAtMillis, NodeId publisher, SuiteId suite,
            KeyId keyId, boolean tombstone, byte[] signature) {
        this.key = key;
        this.value = value;
        this.version = version;
        this.expiresAtMillis = expiresAtMillis;
        this.publisher = publisher;
        this.suite = suite;
        this.keyId = keyId;
        this.tombstone = tombstone;
        this.signature = signature;
    }

    /**
     * An unsigned record; sign {@link #toBeSigned()} and attach the result with {@link #withSignature}.
     *
     * @throws IllegalArgumentException for a null field, a negative version or expiry, an oversized
     *         value, or a tombstone that carries a value
     */
    public static Record unsigned(DhtKey key, byte[] value, long version, long expiresAtMillis, NodeId publisher,
            SuiteId suite, KeyId keyId, boolean tombstone) {
        if (key == null || value == null || publisher == null || suite == null || keyId == null) {
            throw new IllegalArgumentException("record fields must not be null");
        }
        if (value.length > MAX_VALUE_SIZE) {
            throw new IllegalArgumentException("record value is " + value.length + " bytes, maximum " + MAX_VALUE_SIZE);
        }
        if (version < 0 || expiresAtMillis < 0) {
            throw new IllegalArgumentException("record version and expiry must not be negative");
        }
        if (tombstone && value.length != 0) {
            throw new IllegalArgumentException("a tombstone carries no value");
        }
        return new Record(key, value.clone(), version, expiresAtMillis, publisher, suite, keyId, tombstone, new byte[0]);
    }

    /** This record with {@code signature} attached; the signature is not checked here. */
    public Record withSignature(byte[] signature) {
        if (signature == null || signature.length == 0 || signature.length > MAX_SIGNATURE_SIZE) {
            throw new IllegalArgumentException("signature must be 1-" + MAX_SIGNATURE_SIZE + " bytes");
        }
        return new Record(key, value, version, expiresAtMillis, publisher, suite, keyId, tombstone, signature.clone());
    }

    /** The bytes the publisher signs: {@link #SIGNING_DOMAIN} followed by every field but the signature. */
    public byte[] toBeSigned() {
        WireWriter out = new WireWriter(value.length + 128);
        out.string(SIGNING_DOMAIN, 32);
        writeContent(out);
        return out.toByteArray();
    }

    public DhtKey key() {
        return key;
    }

    /** A copy of the value (empty for a tombstone). */
    public byte[] value() {
        return value.clone();
    }

    public int valueSize() {
        return value.length;
    }

    public long version() {
        return version;
    }

    /** Expiry in milliseconds since the epoch (UTC); storers drop the record after it. */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    public NodeId publisher() {
        return publisher;
    }

    public SuiteId suite() {
        return suite;
    }

    public KeyId keyId() {
        return keyId;
    }

    public boolean isTombstone() {
        return tombstone;
    }

    public boolean isSigned() {
        return signature.length > 0;
    }

    /** A copy of the signature bytes (empty if unsigned). */
    public byte[] signature() {
        return signature.clone();
    }

    /** True if this record replaces {@code other}: same key and publisher, higher version. */
    public boolean supersedes(Record other) {
        return key.equals(other.key) && publisher.equals(other.publisher) && version > other.version;
    }

    private void writeContent(WireWriter out) {
        key.writeTo(out);
        out.bytes(value, MAX_VALUE_SIZE);
        out.i64(version).i64(expiresAtMillis);
        publisher.writeTo(out);
        suite.writeTo(out);
        keyId.writeTo(out);
        out.u8(tombstone ? FLAG_TOMBSTONE : 0);
    }

    static Record readFrom(WireReader in) throws WireFormatException {
        DhtKey key = DhtKey.readFrom(in);
        byte[] value = in.bytes(MAX_VALUE_SIZE, "record value");
        int at = in.position();
        long version = in.i64("record version");
        long expires = in.i64("record expiry");
        if (version < 0 || expires < 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "record version and expiry must not be negative");
        }
        NodeId publisher = NodeId.readFrom(in);
        SuiteId suite = SuiteId.readFrom(in);
        KeyId keyId = KeyId.readFrom(in);
        at = in.position();
        int flags = in.u8("record flags");
        if ((flags & ~FLAG_TOMBSTONE) != 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "unknown record flags " + flags);
        }
        boolean tombstone = flags == FLAG_TOMBSTONE;
        if (tombstone && value.length != 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "a tombstone carries no value");
        }
        at = in.position();
        byte[] signature = in.bytes(MAX_SIGNATURE_SIZE, "record signature");
        if (signature.length == 0) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "record is not signed");
        }
        return new Record(key, value, version, expires, publisher, suite, keyId, tombstone, signature);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Record)) {
            return false;
        }
        Record r = (Record) o;
        return key.equals(r.key) && Arrays.equals(value, r.value) && version == r.version
                && expiresAtMillis == r.expiresAtMillis && publisher.equals(r.publisher) && suite.equals(r.suite)
                && keyId.equals(r.keyId) && tombstone == r.tombstone && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "Record[" + key.toHex().substring(0, 16) + " v" + version + (tombstone ? " tombstone" : " " + value.length + " B")
                + " by " + publisher.toShortString() + " " + suite + "]";
    }
}
