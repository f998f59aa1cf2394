/**
 * Crypto suites: a suite bundles a KEM, a signature scheme, an AEAD and a KDF under one
 * {@link org.qdht.api.SuiteId}. Suite bundles register {@link org.qdht.api.crypto.CryptoSuite}
 * services; consumers choose by suite id and never see a provider library's types. Every key,
 * ciphertext and signature leaving a suite carries its SuiteId (and KeyId where it names a key), so
 * the receiver can pick the suite that verifies or decrypts it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.qdht.api.crypto;
