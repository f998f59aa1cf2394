/**
 * Building blocks shared by the transport bundles, copied into each with bnd's
 * {@code -conditionalpackage}: never exported, never deployed on its own.
 */
package org.qdht.transport.support;
