/**
 * Anonymity: DHT operations through onion circuits, so that the peers serving a request cannot
 * tell which node made it ({@link org.qdht.api.anonymity.AnonymousDht}); mailboxes that hold sealed
 * messages for offline recipients ({@link org.qdht.api.anonymity.Mailbox}); and hash commitments
 * ({@link org.qdht.api.anonymity.CommitmentScheme}) for protocols that commit now and reveal later.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.qdht.api.anonymity;
