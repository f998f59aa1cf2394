package org.qdht.crypto.sphincs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "qDHT hash-based suites", description = "Which ML-KEM-1024 + SLH-DSA suites this bundle offers.")
@interface HashBasedSuitesConfiguration {
    @AttributeDefinition(name = "Suites", description = "Suite names to register: mlkem1024-slhdsa-sha2-128f, "
            + "mlkem1024-slhdsa-sha2-128s, mlkem1024-slhdsa-shake-128f, mlkem1024-slhdsa-shake-128s. "
            + "The s variants sign in about a second: use them for rarely used root keys.")
    String[] suites() default {"mlkem1024-slhdsa-sha2-128f", "mlkem1024-slhdsa-sha2-128s", "mlkem1024-slhdsa-shake-128f",
        "mlkem1024-slhdsa-shake-128s"};
}
