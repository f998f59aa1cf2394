package org.qdht.api.anonymity;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.NodeId;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PeerInfo;
import org.qdht.api.routing.Record;

/**
 * The DHT operations of {@link org.qdht.api.routing.Dht} and {@link org.qdht.api.routing.Routing},
 * carried through an onion circuit of at least {@link #MIN_HOPS} relays so that no peer learns
 * which node asked. Operations may share a circuit while it lives, and are then linkable to each
 * other by its exit relay, never to this node. Registered by an onion provider per node with the
 * service property {@link org.qdht.api.node.QdhtNode#NAME_PROPERTY}.
 *
 * <p>Every method returns at once; the stage completes exceptionally with an
 * {@link AnonymityException}: {@code NO_CIRCUIT} or {@code NOT_ENOUGH_RELAYS} when no circuit can
 * be built, {@code TIMEOUT}, {@code TOO_LARGE} when a request or reply exceeds
 * {@link #maxPayloadSize()}, {@code REJECTED} (with the {@link org.qdht.api.routing.DhtException} as
 * cause) when the DHT refused the operation. Thread safe.
 */
@ProviderType
public interface AnonymousDht {
    /** Fewest relays in a circuit. */
    int MIN_HOPS = 3;

    /** Finds the newest valid record for {@code key}; empty when no peer holds one. */
    CompletionStage<Optional<Record>> get(DhtKey key);

    /** Stores a signed record on the peers closest to its key; completes with the number of peers that accepted it. */
    CompletionStage<Integer> put(Record record);

    /** Finds up to {@code count} live peers closest to {@code target}, in increasing distance. */
    CompletionStage<List<PeerInfo>> lookup(NodeId target, int count);

    /**
     * Largest encoded request or reply a circuit carries, in bytes. Onion packets have a fixed
     * size, so this is smaller than {@link Record#MAX_ENCODED_SIZE}: records above it fail with {@code TOO_LARGE}.
     */
    int maxPayloadSize();

    /** A snapshot of the circuits this node has built and not yet torn down. */
    List<CircuitInfo> circuits();
}
