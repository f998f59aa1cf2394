package org.qdht.channel.internal;

import java.util.List;
import java.util.Optional;

import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.SecretBytes;

/**
 * The result of a completed handshake: the peer's proven identity and the two directional keys.
 * {@code replacesIndex} is the responder-side index of the session this handshake re-keys (0: new).
 */
record Established(NodeId peer, EncodedPublicKey peerSigningKey, List<KeyRotation> peerRotations, List<SuiteId> peerOffered,
        Optional<EncodedPublicKey> peerStaticKem, SuiteId suite, long localIndex, long remoteIndex,
        SecretBytes sendKey, SecretBytes receiveKey, long replacesIndex, boolean initiator) {

    void destroyKeys() {
        sendKey.destroy();
        receiveKey.destroy();
    }
}
