package org.qdht.onion.core;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyPair;
import org.qdht.api.crypto.SecretBytes;

/**
 * The onion packet format of one suite, route length bound and payload size: Sphinx (Danezis and
 * Goldberg 2009) with a KEM ciphertext per hop instead of a blinded group element, as Katzenpost's
 * KEMSphinx does, and LIONESS over the payload. Every packet has {@link #packetSize()} bytes,
 * whatever its route length and whether it is a request or a reply, and every hop processes every
 * packet the same way ({@link #unwrap}), so a relay cannot tell one kind from the other.
 *
 * <p>Builds and processes packets without I/O and without state: the caller sends, keeps the onion
 * keys and the {@link ReplayCache}. Thread safe.
 */
public final class PacketFormat {
    public static final int DEFAULT_MAX_HOPS = 5;
    public static final int DEFAULT_PAYLOAD_SIZE = 16_384;
    public static final int ADDRESS_FIELD = AddressField.SIZE;
    /** Beyond 8 hops the header outgrows the payload for the larger KEMs, for little anonymity gained. */
    public static final int MAX_HOPS_LIMIT = 8;
    /** Room for the frame and a LIONESS block with a non-empty right half. */
    public static final int MIN_PAYLOAD_SIZE = 64;
    /** 1 MiB: a relay holds a few packets at a time, and larger messages belong in a stream. */
    public static final int MAX_PAYLOAD_SIZE = 1 << 20;
    /** The random key a reply block hands the responder, from which the reply's first layer comes. */
    public static final int SURB_KEY_SIZE = 32;

    private static final byte[] SURB_INFO = "surb payload key".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CryptoSuite suite;
    private final Layout layout;
    private final HeaderBuilder headers;
    private final HopProcessor hops;

    /**
     * @param maxHops     the most hops a route may have (R), 1..{@value #MAX_HOPS_LIMIT}
     * @param payloadSize the payload size (P), {@value #MIN_PAYLOAD_SIZE}..{@value #MAX_PAYLOAD_SIZE}
     * @throws IllegalArgumentException naming the setting out of range
     */
    public PacketFormat(CryptoSuite suite, int maxHops, int payloadSize) {
        Objects.requireNonNull(suite, "suite");
        if (maxHops < 1 || maxHops > MAX_HOPS_LIMIT) {
            throw new IllegalArgumentException("maxHops must be 1-" + MAX_HOPS_LIMIT + ", got " + maxHops);
        }
        if (payloadSize < MIN_PAYLOAD_SIZE || payloadSize > MAX_PAYLOAD_SIZE) {
            throw new IllegalArgumentException("payloadSize must be " + MIN_PAYLOAD_SIZE + "-" + MAX_PAYLOAD_SIZE
                    + " bytes, got " + payloadSize);
        }
        int c = suite.kem().ciphertextSize();
        if (c < 1 || c > KemCiphertext.MAX_CIPHERTEXT_SIZE) {
            throw new IllegalArgumentException("suite " + suite.id() + " has a KEM ciphertext of " + c + " bytes");
        }
        if (suite.kdf().maxOutputSize() < HopKeys.SIZE) {
            throw new IllegalArgumentException("the KDF of suite " + suite.id() + " cannot derive " + HopKeys.SIZE + " bytes");
        }
        this.suite = suite;
        this.layout = new Layout(c, maxHops, payloadSize);
        this.headers = new HeaderBuilder(suite, layout, RANDOM);
        this.hops = new HopProcessor(suite, layout);
    }

    /** {@value #DEFAULT_MAX_HOPS} hops, {@value #DEFAULT_PAYLOAD_SIZE}-byte payloads. */
    public static PacketFormat defaults(CryptoSuite suite) {
        return new PacketFormat(suite, DEFAULT_MAX_HOPS, DEFAULT_PAYLOAD_SIZE);
    }

    public CryptoSuite suite() {
        return suite;
    }

    public int maxHops() {
        return layout.maxHops();
    }

    public int packetSize() {
        return layout.packetSize();
    }

    public int headerSize() {
        return layout.headerSize();
    }

    public int payloadSize() {
        return layout.payloadSize();
    }

    /** Size of one routing block (one per hop in the header). */
    public int blockSize() {
        return layout.blockSize();
    }

    /** The longest message a packet carries: the payload less the zero prefix and the length. */
    public int maxMessageSize() {
        return layout.payloadSize() - PayloadFrame.OVERHEAD;
    }

    /** Encoded size of a {@link Surb}: first NodeId, first address field, header, SURB key. */
    public int surbSize() {
        return NodeId.LENGTH + ADDRESS_FIELD + layout.headerSize() + SURB_KEY_SIZE;
    }

    /**
     * Wraps {@code message} for {@code route}: the last hop receives it.
     *
     * @param route 1..{@link #maxHops()} hops, each address at most {@value #ADDRESS_FIELD} bytes encoded
     * @throws OnionException TOO_LARGE if the message exceeds {@link #maxMessageSize()}; CRYPTO if a
     *                        hop's onion key cannot be used
     * @throws IllegalArgumentException for a route that is empty, too long, or has an address too long
     */
    public Packet forward(List<Hop> route, byte[] message) throws OnionException {
        checkRoute(route, "route");
        byte[] payload = PayloadFrame.frame(Objects.requireNonNull(message, "message"), layout.payloadSize());
        HeaderBuilder.Built header = headers.build(route);
        try {
            for (int i = route.size() - 1; i >= 0; i--) {
                Lioness.encrypt(header.keys().get(i).payloadKey, payload);
            }
        } finally {
            header.destroy();
        }
        return new Packet(route.get(0).nodeId(), route.get(0).address(), concat(header.header(), payload));
    }

    /**
     * A single-use reply block for a reply route through {@code relays} and then to this node, under
     * a fresh one-time KEM key, so that this node processes the reply exactly as a relay would.
     *
     * @param relays at most {@code maxHops - 1} relays; none sends the reply straight to this node
     * @throws IllegalArgumentException for too many relays or an address too long
     */
    public SurbPair newSurb(List<Hop> relays, NodeId self, PeerAddress selfAddress) throws OnionException {
        Objects.requireNonNull(relays, "relays");
        KeyPair oneTime = suite.kem().generateKeyPair();
        List<Hop> route = new ArrayList<>(relays);
        route.add(new Hop(self, selfAddress, oneTime.publicKey()));
        try {
            checkRoute(route, "reply route (relays and this node)");
        } catch (IllegalArgumentException e) {
            oneTime.destroy();
            throw e;
        }
        byte[] surbKey = new byte[SURB_KEY_SIZE];
        RANDOM.nextBytes(surbKey);
        HeaderBuilder.Built header;
        try {
            header = headers.build(route);
        } catch (OnionException e) {
            oneTime.destroy();
            throw e;
        }
        try {
            List<byte[]> payloadKeys = new ArrayList<>(route.size());
            for (HopKeys keys : header.keys()) {
                payloadKeys.add(keys.payloadKey.clone());
            }
            Surb surb = new Surb(route.get(0).nodeId(), route.get(0).address(), header.header(), surbKey);
            SurbSecrets secrets = new SurbSecrets(this, oneTime, payloadKeys, surbPayloadKey(surbKey));
            return new SurbPair(surb, secrets);
        } finally {
            header.destroy();
            Arrays.fill(surbKey, (byte) 0);
        }
    }

    /**
     * The reply packet for {@code surb}: the message under the SURB key's layer, behind the SURB's header.
     *
     * @throws IllegalArgumentException if the SURB was made for another packet format
     */
    public Packet reply(Surb surb, byte[] message) throws OnionException {
        Objects.requireNonNull(surb, "surb");
        byte[] header = surb.header();
        if (header.length != layout.headerSize()) {
            throw new IllegalArgumentException("reply block has a " + header.length + "-byte header, this format "
                    + layout.headerSize());
        }
        byte[] payload = PayloadFrame.frame(Objects.requireNonNull(message, "message"), layout.payloadSize());
        byte[] key = surbPayloadKey(surb.key());
        try {
            Lioness.encrypt(key, payload);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        return new Packet(surb.firstNode(), surb.firstAddress(), concat(header, payload));
    }

    /**
     * One hop's processing of {@code packet} with its onion key. No side effects: the caller checks
     * the replay tag. Throws nothing but {@link OnionException} for any bytes.
     */
    public Unwrapped unwrap(KeyPair hopKey, byte[] packet) throws OnionException {
        return hops.unwrap(Objects.requireNonNull(hopKey, "hopKey"), packet);
    }

    /** The message in a delivered request payload, or empty if the payload was tagged on the way. */
    public Optional<byte[]> openForward(byte[] deliveredPayload) {
        return PayloadFrame.open(deliveredPayload, layout.payloadSize());
    }

    /** The key id a packet names (its first 16 bytes): which onion key to unwrap it with. */
    public static KeyId keyIdOf(byte[] packet) throws OnionException {
        if (packet == null || packet.length < KeyId.LENGTH) {
            throw new OnionException(OnionException.Reason.MALFORMED, "packet too short for a key id");
        }
        return KeyId.of(Arrays.copyOf(packet, KeyId.LENGTH));
    }

    Layout layout() {
        return layout;
    }

    /** The LIONESS key of the reply's first layer, from the SURB key. */
    byte[] surbPayloadKey(byte[] surbKey) throws OnionException {
        try (SecretBytes ikm = SecretBytes.copyOf(surbKey);
                SecretBytes okm = suite.kdf().derive(HopKeys.SALT, ikm, SURB_INFO, Lioness.KEY_SIZE)) {
            return okm.copy();
        } catch (CryptoException e) {
            throw new OnionException(OnionException.Reason.CRYPTO, "cannot derive the reply key: " + e.getMessage(), e);
        }
    }

    private void checkRoute(List<Hop> route, String what) {
        Objects.requireNonNull(route, what);
        if (route.isEmpty() || route.size() > layout.maxHops()) {
            throw new IllegalArgumentException(what + " must have 1-" + layout.maxHops() + " hops, got " + route.size());
        }
        for (Hop hop : route) {
            AddressField.encode(Objects.requireNonNull(hop, "hop").address());
        }
    }

    private static byte[] concat(byte[] header, byte[] payload) {
        byte[] out = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, out, header.length, payload.length);
        return out;
    }
}
