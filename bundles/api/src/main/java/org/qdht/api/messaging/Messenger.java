package org.qdht.api.messaging;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.NodeId;

/**
 * Sends end-to-end encrypted messages to nodes and groups. Direct messages use hybrid KEM prekeys
 * and a ratchet; group messages use sender keys; a recipient that is offline gets the message
 * through its {@link org.qdht.api.anonymity.Mailbox}. Received messages go to the
 * {@link MessageListener}s. Registered by a messaging provider per node with the service property
 * {@link org.qdht.api.node.QdhtNode#NAME_PROPERTY}.
 *
 * <p>Limits: bodies of at most {@value Message#MAX_BODY_SIZE} bytes, groups of at most
 * {@value #MAX_GROUP_SIZE} members, this node included. The methods returning a stage return at
 * once; stages fail with a {@link MessagingException}. Thread safe.
 */
@ProviderType
public interface Messenger {
    int MAX_GROUP_SIZE = 256;

    /**
     * Sends {@code body} to {@code recipient}. Completes with the message's id once the message was
     * handed to the recipient's session or deposited in its mailbox, or fails with
     * {@code TOO_LARGE}, {@code UNKNOWN_RECIPIENT} (no published prekeys), {@code UNDELIVERABLE},
     * {@code TIMEOUT} or {@code CLOSED}. The array is not kept.
     */
    CompletionStage<MessageId> send(NodeId recipient, byte[] body);

    /**
     * Sends {@code body} to every other member of {@code group}. Completes with the message's id
     * once every member has it or has it in its mailbox; fails with {@code TOO_LARGE},
     * {@code UNKNOWN_GROUP} (this node is not a member), {@code UNDELIVERABLE} (naming the members
     * that could not be reached), {@code TIMEOUT} or {@code CLOSED}.
     */
    CompletionStage<MessageId> sendToGroup(GroupId group, byte[] body);

    /**
     * Creates a group of this node and {@code members} and tells each member. Completes with the new
     * group's id, or fails with {@code GROUP_TOO_LARGE}, {@code UNKNOWN_RECIPIENT} or {@code TIMEOUT}.
     */
    CompletionStage<GroupId> createGroup(Set<NodeId> members);

    /**
     * Leaves {@code group}: the other members are told and this node receives no further messages
     * of it. Fails with {@code UNKNOWN_GROUP} if this node is not a member.
     */
    CompletionStage<Void> leaveGroup(GroupId group);

    /** The groups this node is a member of; a snapshot. */
    Set<GroupId> groups();

    /** The members of {@code group}, this node included; empty if this node is not a member. A snapshot. */
    Set<NodeId> members(GroupId group);
}
