package io.ocppgw.protocol;

import java.util.Optional;

/** The OCPP-J message type numbers (first element of every frame). */
public enum MessageType {
    CALL(2),
    CALLRESULT(3),
    CALLERROR(4),
    /** OCPP 2.1 only: the answer to an invalid CALLRESULT. */
    CALLRESULTERROR(5),
    /** OCPP 2.1 only: an unconfirmed message. */
    SEND(6);

    private final int number;

    MessageType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public boolean existsIn(OcppVersion version) {
        return number <= 4 || version == OcppVersion.OCPP_2_1;
    }

    public static Optional<MessageType> fromNumber(int number) {
        for (MessageType t : values()) {
            if (t.number == number) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
