/**
 * Building blocks of the Bouncy Castle suites: the API's KEM, signature, AEAD and KDF contracts
 * implemented over BC's lightweight API. Not exported: each suite bundle copies the classes it
 * uses in with bnd's {@code -conditionalpackage}, so suite bundles stay independent of each other.
 */
package org.qdht.crypto.bc;
