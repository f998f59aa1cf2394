package org.qdht.api;

import java.util.Locale;
import java.util.regex.Pattern;

import org.qdht.api.wire.TypeCodes;
import org.qdht.api.wire.WireCodec;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * Where a peer can be reached: a transport scheme ({@code udp}, {@code quic}, {@code ble},
 * {@code mem}, or a third party's) and a location the transport understands
 * ({@code 127.0.0.1:4100}, {@code [::1]:4100}, a BLE device address, an in-memory name).
 * Written as {@code scheme://location}. Immutable and thread safe.
 *
 * <p>Limits: scheme 1-{@value #MAX_SCHEME_LENGTH} characters of {@code [a-z0-9-]}; location
 * 1-{@value #MAX_LOCATION_LENGTH} printable ASCII characters without spaces.
 */
public final class PeerAddress {
    public static final int MAX_SCHEME_LENGTH = 16;
    public static final int MAX_LOCATION_LENGTH = 255;

    private static final Pattern SCHEME = Pattern.compile("[a-z0-9-]{1," + MAX_SCHEME_LENGTH + "}");
    private static final Pattern LOCATION = Pattern.compile("[\\x21-\\x7E]{1," + MAX_LOCATION_LENGTH + "}");

    public static final WireCodec<PeerAddress> CODEC = new WireCodec<>() {
        @Override
        public int typeCode() {
            return TypeCodes.PEER_ADDRESS;
        }

        @Override
        public int maxBodySize() {
            return MAX_ENCODED_SIZE;
        }

        @Override
        public void write(PeerAddress value, WireWriter out) {
            value.writeTo(out);
        }

        @Override
        public PeerAddress read(WireReader in) throws WireFormatException {
            return PeerAddress.readFrom(in);
        }
    };

    /** Largest encoding: two length bytes at most plus both strings. */
    public static final int MAX_ENCODED_SIZE = 1 + MAX_SCHEME_LENGTH + 2 + MAX_LOCATION_LENGTH;

    private final String scheme;
    private final String location;

    private PeerAddress(String scheme, String location) {
        this.scheme = scheme;
        this.location = location;
    }

    /** @throws IllegalArgumentException naming the part that breaks the limits above */
    public static PeerAddress of(String scheme, String location) {
        if (scheme == null || !SCHEME.matcher(scheme).matches()) {
            throw new IllegalArgumentException("transport scheme must be 1-" + MAX_SCHEME_LENGTH
                    + " characters of a-z, 0-9 and '-': '" + scheme + "'");
        }
        if (location == null || !LOCATION.matcher(location).matches()) {
            throw new IllegalArgumentException("peer location must be 1-" + MAX_LOCATION_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return new PeerAddress(scheme, location);
    }

    /** Parses {@code scheme://location}; the scheme is case-insensitive. */
    public static PeerAddress parse(String text) {
        int sep = text == null ? -1 : text.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("peer address must look like udp://127.0.0.1:4100, got '" + text + "'");
        }
        return of(text.substring(0, sep).toLowerCase(Locale.ROOT), text.substring(sep + 3));
    }

    public String scheme() {
        return scheme;
    }

    public String location() {
        return location;
    }

    public void writeTo(WireWriter out) {
        out.string(scheme, MAX_SCHEME_LENGTH).string(location, MAX_LOCATION_LENGTH);
    }

    public static PeerAddress readFrom(WireReader in) throws WireFormatException {
        int at = in.position();
        String scheme = in.string(MAX_SCHEME_LENGTH, "transport scheme");
        String location = in.string(MAX_LOCATION_LENGTH, "peer location");
        try {
            return of(scheme, location);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, at, e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerAddress && ((PeerAddress) o).scheme.equals(scheme)
                && ((PeerAddress) o).location.equals(location);
    }

    @Override
    public int hashCode() {
        return scheme.hashCode() * 31 + location.hashCode();
    }

    @Override
    public String toString() {
        return scheme + "://" + location;
    }
}
