package io.ocppgw.protocol;

/** Who may send the CALL of an action. */
public enum Initiator {
    CHARGE_POINT,
    CSMS
}
