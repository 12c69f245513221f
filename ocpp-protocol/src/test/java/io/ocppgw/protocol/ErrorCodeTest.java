package io.ocppgw.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorCodeTest {

    @ParameterizedTest
    @CsvSource({
        "NOT_IMPLEMENTED, NotImplemented, NotImplemented",
        "NOT_SUPPORTED, NotSupported, NotSupported",
        "INTERNAL_ERROR, InternalError, InternalError",
        "PROTOCOL_ERROR, ProtocolError, ProtocolError",
        "SECURITY_ERROR, SecurityError, SecurityError",
        "FORMAT_VIOLATION, FormationViolation, FormatViolation",
        "PROPERTY_CONSTRAINT_VIOLATION, PropertyConstraintViolation, PropertyConstraintViolation",
        "OCCURRENCE_CONSTRAINT_VIOLATION, OccurenceConstraintViolation, OccurrenceConstraintViolation",
        "TYPE_CONSTRAINT_VIOLATION, TypeConstraintViolation, TypeConstraintViolation",
        "GENERIC_ERROR, GenericError, GenericError",
        "MESSAGE_TYPE_NOT_SUPPORTED, NotSupported, MessageTypeNotSupported",
        "RPC_FRAMEWORK_ERROR, FormationViolation, RpcFrameworkError",
    })
    void shouldSpellEachCodeAsEachVersionDoes(ErrorCode code, String v16, String v2x) {
        assertThat(code.wireName(OcppVersion.OCPP_1_6)).isEqualTo(v16);
        assertThat(code.wireName(OcppVersion.OCPP_2_0_1)).isEqualTo(v2x);
        assertThat(code.wireName(OcppVersion.OCPP_2_1)).isEqualTo(v2x);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void shouldReadBackEveryCodeItWritesInTheVersionsThatHaveIt(ErrorCode code) {
        for (OcppVersion v : OcppVersion.values()) {
            if (code.existsIn(v)) {
                assertThat(ErrorCode.fromWire(v, code.wireName(v))).contains(code);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "ocpp1.6, FormatViolation",
        "ocpp1.6, OccurrenceConstraintViolation",
        "ocpp1.6, RpcFrameworkError",
        "ocpp2.0.1, FormationViolation",
        "ocpp2.0.1, OccurenceConstraintViolation",
        "ocpp2.1, Bogus"
    })
    void shouldNotReadAnotherVersionsSpelling(String token, String wire) {
        assertThat(ErrorCode.fromWire(OcppVersion.fromToken(token).orElseThrow(), wire))
                .isEmpty();
    }
}
