package org.qdht.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * Names a crypto suite (KEM + signature + AEAD + KDF) by a stable 16-bit code that goes on the
 * wire with every key, ciphertext and signature. Codes 0x0001-0x0FFF are assigned below by the API
 * (a new assignment is a minor version of this package); 0xF000-0xFFFE are free for third-party
 * suites; 0x0000 and 0xFFFF are never valid. Two SuiteIds are equal when their codes are.
 * Immutable and thread safe.
 */
public final class SuiteId implements Comparable<SuiteId> {
    /** X-Wing (ML-KEM-768 + X25519) key exchange, ML-DSA-65 signatures: the default suite. */
    public static final SuiteId XWING_MLDSA65 = new SuiteId(0x0001);
    public static final SuiteId MLKEM512_MLDSA44 = new SuiteId(0x0002);
    public static final SuiteId MLKEM768_MLDSA65 = new SuiteId(0x0003);
    public static final SuiteId MLKEM1024_MLDSA87 = new SuiteId(0x0004);
    /** ML-KEM-1024 key exchange, SLH-DSA-SHA2-128f signatures: the conservative suite. */
    public static final SuiteId MLKEM1024_SLHDSA_SHA2_128F = new SuiteId(0x0010);
    public static final SuiteId MLKEM1024_SLHDSA_SHA2_128S = new SuiteId(0x0011);
    public static final SuiteId MLKEM1024_SLHDSA_SHAKE_128F = new SuiteId(0x0012);
    public static final SuiteId MLKEM1024_SLHDSA_SHAKE_128S = new SuiteId(0x0013);
    /** HQC-128 + X25519 hybrid key exchange, ML-DSA-65 signatures: the non-lattice hedge. */
    public static final SuiteId HQC128_X25519_MLDSA65 = new SuiteId(0x0020);

    public static final int FIRST_THIRD_PARTY_CODE = 0xF000;

    private static final Map<Integer, String> ASSIGNED_NAMES;

    static {
        Map<Integer, String> names = new LinkedHashMap<>();
        names.put(0x0001, "xwing-mldsa65");
        names.put(0x0002, "mlkem512-mldsa44");
        names.put(0x0003, "mlkem768-mldsa65");
        names.put(0x0004, "mlkem1024-mldsa87");
        names.put(0x0010, "mlkem1024-slhdsa-sha2-128f");
        names.put(0x0011, "mlkem1024-slhdsa-sha2-128s");
        names.put(0x0012, "mlkem1024-slhdsa-shake-128f");
        names.put(0x0013, "mlkem1024-slhdsa-shake-128s");
        names.put(0x0020, "hqc128-x25519-mldsa65");
        ASSIGNED_NAMES = Collections.unmodifiableMap(names);
    }

    public static final WireCodec<SuiteId> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.SUITE_ID;
        }

        @Override
        public int maxBodySize() {
            return 2;
        }

        @Override
        public void write(SuiteId value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public SuiteId read(WireReader in) throws WireFormatException {
            return SuiteId.readFrom(in);
        }
    };

    private final int code;

    private SuiteId(int code) {
        this.code = code;
    }

    /** @throws IllegalArgumentException for 0x0000, 0xFFFF and values outside 16 bits */
    public static SuiteId of(int code) {
        if (code <= 0 || code >= 0xFFFF) {
            throw new IllegalArgumentException("suite code must be in 0x0001..0xFFFE, got " + code);
        }
        return new SuiteId(code);
    }

    /**
     * Parses an assigned name ({@code "xwing-mldsa65"}) or a hexadecimal code ({@code "0xF001"}).
     *
     * @throws IllegalArgumentException naming the assigned suites when the text is neither
     */
    public static SuiteId parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Map.Entry<Integer, String> e : ASSIGNED_NAMES.entrySet()) {
            if (e.getValue().equals(t)) {
                return new SuiteId(e.getKey());
            }
        }
        if (t.startsWith("0x") && t.length() > 2 && t.length() <= 6) {
            try {
                return of(Integer.parseInt(t.substring(2), 16));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown suite '" + text + "'; assigned suites are "
                + ASSIGNED_NAMES.values() + ", third-party suites are written as hex codes (0xF000-0xFFFE)");
    }

    /** The assigned suites, code to name, in code order. */
    public static Map<Integer, String> assignedNames() {
        return ASSIGNED_NAMES;
    }

    public int code() {
        return code;
    }

    /** The assigned name, or the code in hex for third-party suites. */
    public String name() {
        String name = ASSIGNED_NAMES.get(code);
        return name != null ? name : String.format("0x%04X", code);
    }

    public boolean isThirdParty() {
        return code >= FIRST_THIRD_PARTY_CODE;
    }

    public void writeTo(WireWriter out) {
        out.u16(code);
    }

    public static SuiteId readFrom(WireReader in) throws WireFormatException {
        int at = in.position();
        int code = in.u16("suite id");
        if (code == 0 || code == 0xFFFF) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, "suite id " + code + " is reserved");
        }
        return new SuiteId(code);
    }

    @Override
    public int compareTo(SuiteId o) {
        return Integer.compare(code, o.code);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SuiteId && ((SuiteId) o).code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name();
    }
}
