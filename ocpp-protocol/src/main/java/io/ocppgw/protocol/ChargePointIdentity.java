package io.ocppgw.protocol;

/**
 * What a charge point identity can be: 1–48 characters (the OCPP identity string of the 2.x
 * security whitepaper), no ':' (it separates identity and password in Basic auth, and the parts of
 * composite keys), no '/' (it ends the upgrade path) and no control characters. Pure.
 */
public final class ChargePointIdentity {

    public static final int MAX_LENGTH = 48;
    public static final String RULE = "1-" + MAX_LENGTH + " characters, no ':', no '/', no control characters";

    private ChargePointIdentity() {}

    public static boolean isPossible(String identity) {
        return identity != null
                && !identity.isEmpty()
                && identity.length() <= MAX_LENGTH
                && identity.indexOf(':') < 0
                && identity.indexOf('/') < 0
                && identity.chars().noneMatch(Character::isISOControl);
    }
}
