/**
 * Messaging: end-to-end encrypted direct and group messages between nodes
 * ({@link org.qdht.api.messaging.Messenger}, delivered to
 * {@link org.qdht.api.messaging.MessageListener}s), with offline delivery through mailboxes, and
 * publish/subscribe by gossip ({@link org.qdht.api.messaging.PubSub},
 * {@link org.qdht.api.messaging.TopicListener}). Encryption, ratchets and sender keys are the
 * provider's; this package carries plaintext {@link org.qdht.api.messaging.Message}s and their
 * wire encoding.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.qdht.api.messaging;
