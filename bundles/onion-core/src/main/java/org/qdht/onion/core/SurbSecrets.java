package org.qdht.onion.core;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.qdht.api.KeyId;
import org.qdht.api.crypto.KeyPair;

/**
 * What a requester keeps to open the reply to one {@link Surb}: the one-time KEM key pair of its
 * own last hop, the LIONESS keys of every reply hop (known from building the header) and the SURB
 * key's. Opening peels the reply as a relay would, puts back the layers the hops removed (last hop
 * first), removes the SURB key's layer and checks the zero prefix.
 *
 * <p>Single use: a successful {@link #open} destroys the secrets, so a replayed reply is refused.
 * Thread safe.
 */
public final class SurbSecrets {
    private final PacketFormat format;
    private final KeyPair oneTimeKey;
    private final List<byte[]> hopPayloadKeys;
    private final byte[] surbPayloadKey;
    private boolean destroyed;

    SurbSecrets(PacketFormat format, KeyPair oneTimeKey, List<byte[]> hopPayloadKeys, byte[] surbPayloadKey) {
        this.format = format;
        this.oneTimeKey = oneTimeKey;
        this.hopPayloadKeys = List.copyOf(hopPayloadKeys);
        this.surbPayloadKey = surbPayloadKey;
    }

    /** The id of the one-time key: the reply packet arriving here names it. */
    public KeyId keyId() {
        return oneTimeKey.publicKey().keyId();
    }

    /**
     * The reply message.
     *
     * @throws OnionException WRONG_KEY if the packet is not the reply to this SURB; TAGGED if its
     *                        payload was changed on the way; CRYPTO if the secrets are used up
     *                        or destroyed; any reason {@link PacketFormat#unwrap} gives
     */
    public synchronized byte[] open(byte[] replyPacket) throws OnionException {
        if (destroyed) {
            throw new OnionException(OnionException.Reason.CRYPTO, "reply secrets are used up or destroyed");
        }
        Unwrapped unwrapped = format.unwrap(oneTimeKey, replyPacket);
        if (!(unwrapped instanceof Unwrapped.Deliver deliver)) {
            throw new OnionException(OnionException.Reason.MALFORMED, "reply header does not end at this requester");
        }
        byte[] payload = deliver.payload();
        for (int i = hopPayloadKeys.size() - 1; i >= 0; i--) {
            Lioness.encrypt(hopPayloadKeys.get(i), payload);
        }
        Lioness.decrypt(surbPayloadKey, payload);
        Optional<byte[]> message = PayloadFrame.open(payload, format.payloadSize());
        if (message.isEmpty()) {
            throw new OnionException(OnionException.Reason.TAGGED, "reply payload was changed on the way");
        }
        destroy();
        return message.get();
    }

    /** Wipes the one-time key and the layer keys. Idempotent. */
    public synchronized void destroy() {
        destroyed = true;
        oneTimeKey.destroy();
        hopPayloadKeys.forEach(k -> Arrays.fill(k, (byte) 0));
        Arrays.fill(surbPayloadKey, (byte) 0);
    }
}
