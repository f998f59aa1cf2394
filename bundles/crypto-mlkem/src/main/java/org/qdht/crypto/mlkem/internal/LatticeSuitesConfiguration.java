package org.qdht.crypto.mlkem.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "qDHT lattice suites", description = "Which ML-KEM / X-Wing / ML-DSA suites this bundle offers.")
@interface LatticeSuitesConfiguration {
    @AttributeDefinition(name = "Suites", description = "Suite names to register: xwing-mldsa65, mlkem512-mldsa44, "
            + "mlkem768-mldsa65, mlkem1024-mldsa87. Removing one unregisters it at once.")
    String[] suites() default {"xwing-mldsa65", "mlkem512-mldsa44", "mlkem768-mldsa65", "mlkem1024-mldsa87"};
}
