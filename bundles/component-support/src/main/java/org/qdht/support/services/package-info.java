/**
 * What the per-node components share: tracking one service per node name. Not exported:
 * bundles copy this package in with bnd's {@code -conditionalpackage}.
 */
package org.qdht.support.services;
