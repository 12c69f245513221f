package io.ocppgw.edge.upstream;

/** What a schema violation in a charge point's CALL leads to. */
public enum ValidationPolicy {
    /** Answer with the CALLERROR the violation maps to. */
    STRICT,
    /** Log and count it, then handle the CALL as if valid (quirky firmware). */
    WARN,
    /** Do not validate. */
    OFF
}
