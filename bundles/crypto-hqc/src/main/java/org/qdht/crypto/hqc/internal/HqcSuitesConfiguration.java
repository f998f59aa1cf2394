package org.qdht.crypto.hqc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "qDHT code-based suite", description = "Which HQC suites this bundle offers.")
@interface HqcSuitesConfiguration {
    @AttributeDefinition(name = "Suites", description = "Suite names to register: hqc128-x25519-mldsa65 "
            + "(HQC-128 + X25519 key exchange, ML-DSA-65 signatures). An empty list withdraws the suite at once.")
    String[] suites() default {"hqc128-x25519-mldsa65"};
}
