package org.qdht.onion.core;

/**
 * A new reply block: {@code surb} goes into the request, {@code secrets} stay with the requester
 * until the reply comes (or the request times out, then {@link SurbSecrets#destroy()}).
 */
public record SurbPair(Surb surb, SurbSecrets secrets) {
}
