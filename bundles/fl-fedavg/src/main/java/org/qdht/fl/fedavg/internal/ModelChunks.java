package org.qdht.fl.fedavg.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import org.qdht.api.learning.ModelManifest;

/**
 * Models as content-addressed chunks: the parameters as little-endian float32, cut into chunks of
 * at most {@code chunkSize} bytes, each named by its SHA-256 hash. Chunks small enough for one DHT
 * record each. Thread safe (stateless).
 */
final class ModelChunks {
    private ModelChunks() {
    }

    static List<byte[]> split(float[] parameters, int chunkSize) {
        if (chunkSize < 4 || chunkSize % 4 != 0) {
            throw new IllegalArgumentException("chunk size must be a positive multiple of 4 bytes, got " + chunkSize);
        }
        ByteBuffer all = ByteBuffer.allocate(parameters.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        all.asFloatBuffer().put(parameters);
        byte[] bytes = all.array();
        List<byte[]> chunks = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += chunkSize) {
            chunks.add(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunkSize)));
        }
        return chunks;
    }

    /** @throws IllegalArgumentException if the chunks do not add up to whole float32 values */
    static float[] join(List<byte[]> chunks) {
        int total = 0;
        for (byte[] c : chunks) {
            total += c.length;
        }
        if (total % 4 != 0) {
            throw new IllegalArgumentException("chunks of " + total + " bytes are not whole float32 values");
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        chunks.forEach(all::put);
        all.flip();
        float[] out = new float[total / 4];
        all.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    static byte[] hash(byte[] chunk) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(chunk);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static List<byte[]> hashes(List<byte[]> chunks) {
        List<byte[]> out = new ArrayList<>();
        chunks.forEach(c -> out.add(hash(c)));
        if (out.size() > ModelManifest.MAX_CHUNKS) {
            throw new IllegalArgumentException(out.size() + " chunks exceed a manifest's " + ModelManifest.MAX_CHUNKS);
        }
        return out;
    }
}
