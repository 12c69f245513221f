package io.ocppgw.protocol;

import static io.ocppgw.protocol.OcppVersion.OCPP_1_6;
import static io.ocppgw.protocol.OcppVersion.OCPP_2_0_1;
import static io.ocppgw.protocol.OcppVersion.OCPP_2_1;
import static io.ocppgw.protocol.PayloadKind.REQUEST;
import static io.ocppgw.protocol.PayloadKind.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaValidatorTest {

    private static final SchemaValidator VALIDATOR = new SchemaValidator();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldAcceptValidPayloadsOfEachVersion() {
        assertThat(check(
                                OCPP_1_6,
                                "BootNotification",
                                REQUEST,
                                "{\"chargePointVendor\": \"VendorX\", \"chargePointModel\": \"M1\"}")
                        .isValid())
                .isTrue();
        assertThat(check(
                                OCPP_1_6,
                                "BootNotification",
                                RESPONSE,
                                "{\"status\": \"Accepted\", \"currentTime\": \"2026-11-25T10:00:00Z\", \"interval\": 300}")
                        .isValid())
                .isTrue();
        assertThat(check(
                                OCPP_2_0_1,
                                "BootNotification",
                                REQUEST,
                                "{\"reason\": \"PowerUp\", \"chargingStation\": {\"model\": \"M1\", \"vendorName\": \"V\"}}")
                        .isValid())
                .isTrue();
        assertThat(check(OCPP_2_1, "Heartbeat", REQUEST, "{}").isValid()).isTrue();
        assertThat(check(
                                OCPP_2_1,
                                "NotifyPeriodicEventStream",
                                REQUEST,
                                "{\"id\": 1, \"pending\": 0, \"basetime\": \"2026-11-25T10:00:00Z\", \"data\": [{\"t\": 0.5, \"v\": \"1\"}]}")
                        .isValid())
                .isTrue();
    }

    /** Each violation class maps to its code, spelled per version. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ocpp1.6   | {\"chargePointVendor\": \"V\"}                                              | OccurenceConstraintViolation | required",
                "ocpp2.0.1 | {\"reason\": \"PowerUp\"}                                                   | OccurrenceConstraintViolation | required",
                "ocpp1.6   | {\"chargePointVendor\": 5, \"chargePointModel\": \"M\"}                     | TypeConstraintViolation | type",
                "ocpp2.1   | {\"reason\": 5, \"chargingStation\": {\"model\": \"M\", \"vendorName\": \"V\"}} | TypeConstraintViolation | type",
                "ocpp1.6   | {\"chargePointVendor\": \"VVVVVVVVVVVVVVVVVVVVVVVVV\", \"chargePointModel\": \"M\"} | PropertyConstraintViolation | maxLength",
                "ocpp2.0.1 | {\"reason\": \"Bored\", \"chargingStation\": {\"model\": \"M\", \"vendorName\": \"V\"}} | PropertyConstraintViolation | enum",
                "ocpp1.6   | {\"chargePointVendor\": \"V\", \"chargePointModel\": \"M\", \"colour\": \"red\"} | FormationViolation | additionalProperties",
                "ocpp2.0.1 | {\"reason\": \"PowerUp\", \"chargingStation\": {\"model\": \"M\", \"vendorName\": \"V\"}, \"x\": 1} | FormatViolation | additionalProperties",
            })
    void shouldMapEachViolationToItsCodeForTheVersion(String token, String payload, String wireCode, String keyword) {
        OcppVersion version = OcppVersion.fromToken(token).orElseThrow();

        SchemaCheck check = check(version, "BootNotification", REQUEST, payload);

        assertThat(check.isValid()).isFalse();
        assertThat(check.errorCode().wireName(version)).isEqualTo(wireCode);
        assertThat(check.violations().get(0).keyword()).isEqualTo(keyword);
        assertThat(check.details().get("violations").get(0).get("keyword").asText())
                .isEqualTo(keyword);
        assertThat(check.description()).isNotBlank().hasSizeLessThanOrEqualTo(255);
    }

    @Test
    void shouldCheckDateTimeFormats() {
        SchemaCheck check = check(
                OCPP_1_6,
                "BootNotification",
                RESPONSE,
                "{\"status\": \"Accepted\", \"currentTime\": \"yesterday\", \"interval\": 300}");

        assertThat(check.isValid()).isFalse();
        assertThat(check.errorCode()).isEqualTo(ErrorCode.TYPE_CONSTRAINT_VIOLATION);
    }

    @Test
    void shouldValidateMeterValuesWithNestedArrays() {
        String ok = """
                {"connectorId": 1, "transactionId": 7, "meterValue": [{"timestamp": "2026-11-25T10:05:00Z",
                  "sampledValue": [{"value": "1100", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}]}]}""";
        String badUnit = ok.replace("\"Wh\"", "\"Gallons\"");

        assertThat(check(OCPP_1_6, "MeterValues", REQUEST, ok).isValid()).isTrue();
        assertThat(check(OCPP_1_6, "MeterValues", REQUEST, badUnit).errorCode())
                .isEqualTo(ErrorCode.PROPERTY_CONSTRAINT_VIOLATION);
    }

    @Test
    void shouldReportAnActionWithoutSchemaAsNotImplemented() {
        SchemaCheck check = check(OCPP_2_0_1, "StartTransaction", REQUEST, "{}");

        assertThat(check.errorCode()).isEqualTo(ErrorCode.NOT_IMPLEMENTED);
        assertThat(VALIDATOR.hasSchema(OCPP_2_0_1, "../ocpp1.6/StartTransaction", REQUEST))
                .isFalse();
    }

    @Test
    void shouldCompileEverySchemaOfEveryVersion() {
        int n = new SchemaValidator().preloadAll();

        // 1.6: 39 actions; 2.0.1: 64; 2.1: 91 of which one is SEND-only (no response)
        assertThat(n).isEqualTo(2 * 39 + 2 * 64 + 2 * 91 - 1);
    }

    private static SchemaCheck check(OcppVersion version, String action, PayloadKind kind, String json) {
        try {
            JsonNode payload = JSON.readTree(json);
            return VALIDATOR.validate(version, action, kind, payload);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
