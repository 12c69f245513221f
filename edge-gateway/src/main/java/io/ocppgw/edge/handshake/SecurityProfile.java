package io.ocppgw.edge.handshake;

/** OCPP security profiles (OCPP 1.6 security whitepaper, OCPP 2.0.1 part 2 A00). */
public enum SecurityProfile {
    /** No authentication: development only. */
    NONE(0),
    /** HTTP Basic over plain WebSocket. */
    BASIC(1),
    /** HTTP Basic over TLS. */
    BASIC_TLS(2),
    /** TLS with a client certificate. */
    CLIENT_CERT(3);

    private final int number;

    SecurityProfile(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public boolean usesTls() {
        return this == BASIC_TLS || this == CLIENT_CERT;
    }

    public boolean usesBasicAuth() {
        return this == BASIC || this == BASIC_TLS;
    }

    public static SecurityProfile of(int number) {
        for (SecurityProfile p : values()) {
            if (p.number == number) {
                return p;
            }
        }
        throw new IllegalArgumentException("security profile must be 0..3, was " + number);
    }
}
