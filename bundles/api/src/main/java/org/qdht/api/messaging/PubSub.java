package org.qdht.api.messaging;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Publishes to topics by gossip. Publications are signed by this node and reach the
 * {@link TopicListener}s of subscribed nodes best effort: most subscribers get each publication
 * once, none gets it twice, none is guaranteed to get it. A node subscribes to a topic while a
 * TopicListener for it is registered. Registered by a provider per node with the service property
 * {@link org.qdht.api.node.QdhtNode#NAME_PROPERTY}. Thread safe.
 */
@ProviderType
public interface PubSub {
    int MAX_PAYLOAD_SIZE = 65_536;

    /**
     * Publishes {@code payload} on {@code topic}. Returns at once; the stage completes when the
     * publication was handed to at least one peer, or fails with a {@link MessagingException}
     * ({@code TOO_LARGE} above {@value #MAX_PAYLOAD_SIZE} bytes, {@code UNDELIVERABLE} with no peer
     * on the topic, {@code CLOSED}). The array is not kept.
     *
     * @throws IllegalArgumentException if {@code topic} breaks the {@link Topics} rules
     */
    CompletionStage<Void> publish(String topic, byte[] payload);
}
