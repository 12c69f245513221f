package io.ocppgw.protocol;

/** Which half of an action a payload is: the CALL's request or the CALLRESULT's response. */
public enum PayloadKind {
    REQUEST,
    RESPONSE
}
