/**
 * Test support: a local testnet of nodes inside one framework, for in-framework tests and
 * benchmarks. Not exported: test bundles copy this package in with bnd's
 * {@code -conditionalpackage}.
 */
package org.qdht.testsupport;
