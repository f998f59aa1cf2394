package org.qdht.kademlia.simulator;

/** Messages and bytes on the wire that one operation (a lookup, a get, a put) caused. Single threaded. */
public final class Traffic {
    /** Traffic that belongs to no operation (pings back, liveness checks): still counted by the network. */
    public static final Traffic NONE = new Traffic();

    private long messages;
    private long bytes;

    void add(int messageBytes) {
        if (this != NONE) {
            messages++;
            bytes += messageBytes;
        }
    }

    public long messages() {
        return messages;
    }

    public long bytes() {
        return bytes;
    }
}
