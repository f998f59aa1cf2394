package org.qdht.api.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.qdht.api.KeyId;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KemCiphertext;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.SuiteSignature;
import org.qdht.api.learning.ModelManifest;
import org.qdht.api.messaging.Message;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.Record;

/**
 * Fuzzes every decoder of the API. Jazzer fuzzes one target per JVM, so this single target feeds
 * each input to one decoder chosen by its first byte. An input may only be accepted or rejected
 * with a {@link WireFormatException}; any other exception, an endless loop or an allocation beyond
 * the limits is a finding. An accepted input must also be the canonical encoding of what it
 * decoded to, since signatures are made over encodings.
 *
 * <p>In a normal build the target runs for {@value #CI_DURATION} with {@code JAZZER_FUZZ=1} (set by
 * the module's surefire configuration); without it, Jazzer only replays the inputs kept under
 * {@code src/test/resources/org/qdht/api/wire/WireDecodersFuzzTestInputs/}.
 */
class WireDecodersFuzzTest {
    static final String CI_DURATION = "20s";

    static final List<WireCodec<?>> CODECS = List.of(NodeId.CODEC, KeyId.CODEC, SuiteId.CODEC, PeerAddress.CODEC,
            PeerInfo.CODEC, DhtKey.CODEC, Record.CODEC, EncodedPublicKey.CODEC, SuiteSignature.CODEC,
            KemCiphertext.CODEC, KeyRotation.CODEC, Message.CODEC, ModelManifest.CODEC);

    @FuzzTest(maxDuration = CI_DURATION)
    void decodeAnyFrame(byte[] input) {
        if (input.length == 0) {
            return;
        }
        WireCodec<?> codec = CODECS.get((input[0] & 0xFF) % CODECS.size());
        byte[] frame = Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 0x80) != 0 && frame.length >= 4) {
            // half the time, write a valid header so the fuzzer reaches the body decoders at once
            frame[0] = (byte) WireFormat.MAGIC;
            frame[1] = (byte) WireFormat.VERSION;
            frame[2] = (byte) (codec.typeCode() >>> 8);
            frame[3] = (byte) codec.typeCode();
        }
        decodeAndReencode(codec, frame);
    }

    private static <T> void decodeAndReencode(WireCodec<T> codec, byte[] frame) {
        T value;
        try {
            value = WireFormat.decode(codec, frame);
        } catch (WireFormatException expected) {
            return;
        }
        assertArrayEquals(frame, WireFormat.encode(codec, value), "accepted input is not canonical");
    }
}
