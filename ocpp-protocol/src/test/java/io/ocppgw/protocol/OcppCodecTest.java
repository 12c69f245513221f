package io.ocppgw.protocol;

import static io.ocppgw.protocol.OcppVersion.OCPP_1_6;
import static io.ocppgw.protocol.OcppVersion.OCPP_2_0_1;
import static io.ocppgw.protocol.OcppVersion.OCPP_2_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class OcppCodecTest {

    private final OcppCodec codec = new OcppCodec();

    @ParameterizedTest
    @EnumSource(OcppVersion.class)
    void shouldDecodeACall(OcppVersion version) {
        var result = codec.decode(version, """
                [2, "19223201", "BootNotification", {"chargePointVendor": "VendorX", "chargePointModel": "SingleSocketCharger"}]
                """);

        assertThat(result).isInstanceOf(DecodeResult.Frame.class);
        var call = (OcppFrame.Call) ((DecodeResult.Frame) result).frame();
        assertThat(call.messageId()).isEqualTo("19223201");
        assertThat(call.action()).isEqualTo("BootNotification");
        assertThat(call.payload().get("chargePointVendor").asText()).isEqualTo("VendorX");
    }

    @ParameterizedTest
    @EnumSource(OcppVersion.class)
    void shouldDecodeACallResult(OcppVersion version) {
        var frame = frame(version, """
                [3, "19223201", {"currentTime": "2013-02-01T20:53:32.486Z", "interval": 300, "status": "Accepted"}]""");

        assertThat(frame).isInstanceOf(OcppFrame.CallResult.class);
        assertThat(((OcppFrame.CallResult) frame).payload().get("interval").asInt())
                .isEqualTo(300);
    }

    @ParameterizedTest
    @EnumSource(OcppVersion.class)
    void shouldDecodeACallErrorKeepingTheWireSpelling(OcppVersion version) {
        var frame = frame(version, """
                [4, "162376037", "OccurenceConstraintViolation", "SetDisplayMessage is missing its message", {"field": "message"}]""");

        var error = (OcppFrame.CallError) frame;
        assertThat(error.errorCode()).isEqualTo("OccurenceConstraintViolation");
        assertThat(error.errorDescription()).isEqualTo("SetDisplayMessage is missing its message");
        assertThat(error.errorDetails().get("field").asText()).isEqualTo("message");
    }

    @ParameterizedTest
    @EnumSource(OcppVersion.class)
    void shouldReadACallErrorWithoutDescriptionOrDetailsAsEmpty(OcppVersion version) {
        var error = (OcppFrame.CallError) frame(version, "[4, \"a1\", \"GenericError\", null]");

        assertThat(error.errorDescription()).isEmpty();
        assertThat(error.errorDetails()).isEmpty();
    }

    @Test
    void shouldDecodeCallResultErrorAndSendInOcpp21() {
        assertThat(frame(OCPP_2_1, "[5, \"r1\", \"FormatViolation\", \"bad result\", {}]"))
                .isEqualTo(new OcppFrame.CallResultError(
                        "r1", "FormatViolation", "bad result", JsonNodeFactory.instance.objectNode()));
        var send = (OcppFrame.Send) frame(OCPP_2_1, """
                [6, "s1", "NotifyPeriodicEventStream", {"id": 1, "pending": 0, "basetime": "2025-01-01T00:00:00Z", "data": []}]""");
        assertThat(send.action()).isEqualTo("NotifyPeriodicEventStream");
        assertThat(send.payload().get("id").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(OcppVersion.class)
    void shouldEncodeEveryFrameTypeAndDecodeItBack(OcppVersion version) {
        var payload = JsonNodeFactory.instance.objectNode().put("status", "Accepted");
        var frames = Stream.of(
                        new OcppFrame.Call("m1", "Heartbeat", JsonNodeFactory.instance.objectNode()),
                        new OcppFrame.CallResult("m1", payload),
                        Errors.callError(version, "m2", ErrorCode.NOT_IMPLEMENTED, "nope"),
                        new OcppFrame.CallResultError(
                                "m3", "FormatViolation", "x", JsonNodeFactory.instance.objectNode()),
                        new OcppFrame.Send("m4", "NotifyPeriodicEventStream", payload))
                .filter(f -> f.type().existsIn(version))
                .toList();

        for (OcppFrame f : frames) {
            assertThat(codec.decode(version, codec.encode(f))).isEqualTo(new DecodeResult.Frame(f));
        }
        assertThat(codec.encode(new OcppFrame.Call("m1", "Heartbeat", JsonNodeFactory.instance.objectNode())))
                .isEqualTo("[2,\"m1\",\"Heartbeat\",{}]");
    }

    /** Every malformed input, per version: what the gateway must do with it. */
    static Stream<Arguments> malformed() {
        String deep = "[2, \"d1\", \"DataTransfer\", " + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "]";
        String longId = "x".repeat(37);
        return Stream.of(
                // input, 1.6 outcome, 2.0.1 outcome, 2.1 outcome; "drop" or "CODE@id"
                Arguments.of("not json", "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of("", "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of("{\"a\": 1}", "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of("[]", "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of("\"text\"", "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of(
                        "[2, \"t1\", \"Heartbeat\", {}] trailing",
                        "drop",
                        "RpcFrameworkError@-1",
                        "RpcFrameworkError@-1"),
                Arguments.of("[2, \"t1\", \"Heartbeat\", {}", "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of(
                        "[2, \"t1\", \"DataTransfer\", {\"vendorId\": \"a\", \"vendorId\": \"b\"}]",
                        "drop",
                        "RpcFrameworkError@-1",
                        "RpcFrameworkError@-1"),
                Arguments.of(deep, "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of(
                        "[\"2\", \"t2\", \"Heartbeat\", {}]", "drop", "RpcFrameworkError@t2", "RpcFrameworkError@t2"),
                Arguments.of(
                        "[2.5, \"t2\", \"Heartbeat\", {}]", "drop", "RpcFrameworkError@t2", "RpcFrameworkError@t2"),
                Arguments.of("[2, 17, \"Heartbeat\", {}]", "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of("[2, \"\", \"Heartbeat\", {}]", "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of("[2]", "drop", "RpcFrameworkError@-1", "RpcFrameworkError@-1"),
                Arguments.of("[9, \"t3\", {}]", "drop", "MessageTypeNotSupported@t3", "MessageTypeNotSupported@t3"),
                Arguments.of(
                        "[99999999999, \"t3\", {}]",
                        "drop",
                        "MessageTypeNotSupported@t3",
                        "MessageTypeNotSupported@t3"),
                Arguments.of("[5, \"t4\", \"GenericError\", \"\", {}]", "drop", "MessageTypeNotSupported@t4", "frame"),
                Arguments.of(
                        "[6, \"t5\", \"NotifyPeriodicEventStream\", {}]",
                        "drop",
                        "MessageTypeNotSupported@t5",
                        "frame"),
                Arguments.of(
                        "[2, \"" + longId + "\", \"Heartbeat\", {}]",
                        "FormationViolation@" + longId,
                        "RpcFrameworkError@" + longId,
                        "RpcFrameworkError@" + longId),
                Arguments.of(
                        "[2, \"t6\", \"Heartbeat\"]",
                        "FormationViolation@t6",
                        "RpcFrameworkError@t6",
                        "RpcFrameworkError@t6"),
                Arguments.of(
                        "[2, \"t6\", \"Heartbeat\", {}, {}]",
                        "FormationViolation@t6",
                        "RpcFrameworkError@t6",
                        "RpcFrameworkError@t6"),
                Arguments.of(
                        "[2, \"t7\", 42, {}]", "FormationViolation@t7", "RpcFrameworkError@t7", "RpcFrameworkError@t7"),
                Arguments.of(
                        "[2, \"t7\", \"\", {}]",
                        "FormationViolation@t7",
                        "RpcFrameworkError@t7",
                        "RpcFrameworkError@t7"),
                Arguments.of(
                        "[2, \"t8\", \"Heartbeat\", []]",
                        "FormationViolation@t8",
                        "FormatViolation@t8",
                        "FormatViolation@t8"),
                Arguments.of(
                        "[2, \"t8\", \"Heartbeat\", null]",
                        "FormationViolation@t8",
                        "FormatViolation@t8",
                        "FormatViolation@t8"),
                Arguments.of("[3, \"t9\", \"not an object\"]", "drop", "drop", "FormatViolation@t9/result"),
                Arguments.of("[3, \"t9\"]", "drop", "drop", "RpcFrameworkError@t9/result"),
                Arguments.of("[3, \"" + longId + "\", {}]", "drop", "drop", "RpcFrameworkError@" + longId + "/result"),
                Arguments.of("[4, \"t10\", 12, \"\", {}]", "drop", "drop", "drop"),
                Arguments.of("[4, \"t10\", \"GenericError\", \"\", []]", "drop", "drop", "drop"),
                Arguments.of("[4, \"t10\", \"GenericError\", 5, {}]", "drop", "drop", "drop"),
                Arguments.of("[4, \"t10\", \"GenericError\", \"\", {}, 1]", "drop", "drop", "drop"),
                Arguments.of("[4, \"t10\"]", "drop", "drop", "drop"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void shouldGiveEveryMalformedFrameItsDefinedOutcome(String input, String v16, String v201, String v21) {
        assertThat(outcome(OCPP_1_6, input)).as("1.6 %s", input).isEqualTo(v16);
        assertThat(outcome(OCPP_2_0_1, input)).as("2.0.1 %s", input).isEqualTo(v201);
        assertThat(outcome(OCPP_2_1, input)).as("2.1 %s", input).isEqualTo(v21);
    }

    @Test
    void shouldKeepTheIdOfADroppedResultSoAPendingCallCanBeSettled() {
        var result = codec.decode(OCPP_2_0_1, "[3, \"abc\", 7]");

        assertThat(result)
                .isEqualTo(new DecodeResult.Drop("CALLRESULT payload is not a JSON object", Optional.of("abc")));
    }

    @Test
    void shouldRefuseTextLongerThanTheLimitWithoutParsingIt() {
        var small = new OcppCodec(new OcppCodec.Limits(16, 100));
        String big = "[2, \"b1\", \"DataTransfer\", {\"vendorId\": \"" + "v".repeat(200) + "\"}]";

        assertThat(outcome(small, OCPP_2_0_1, big)).isEqualTo("RpcFrameworkError@-1");
        assertThat(outcome(small, OCPP_1_6, big)).isEqualTo("drop");
    }

    @Test
    void shouldNeverThrowOnArbitraryInput() {
        var random = new java.util.Random(42);
        String alphabet = "[]{}\",:0123456789 abc-.eE\\ntrufalsn";
        for (int i = 0; i < 20_000; i++) {
            var sb = new StringBuilder();
            int len = random.nextInt(40);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            for (OcppVersion v : OcppVersion.values()) {
                assertThatCode(() -> assertThat(codec.decode(v, text)).isNotNull())
                        .as(text)
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void shouldCutErrorDescriptionsToTheSchemaLimit() {
        String hugeType = "9".repeat(400);
        var result = (DecodeResult.Reject) codec.decode(OCPP_2_0_1, "[" + hugeType + ", \"t\", {}]");

        assertThat(result.answer().errorDescription().length()).isLessThanOrEqualTo(255);
    }

    private OcppFrame frame(OcppVersion version, String text) {
        var result = codec.decode(version, text);
        assertThat(result).as(text).isInstanceOf(DecodeResult.Frame.class);
        return ((DecodeResult.Frame) result).frame();
    }

    private String outcome(OcppVersion version, String input) {
        return outcome(codec, version, input);
    }

    private static String outcome(OcppCodec codec, OcppVersion version, String input) {
        DecodeResult r = codec.decode(version, input);
        if (r instanceof DecodeResult.Frame) {
            return "frame";
        }
        if (r instanceof DecodeResult.Drop) {
            return "drop";
        }
        var answer = ((DecodeResult.Reject) r).answer();
        String suffix = answer instanceof OcppFrame.CallResultError ? "/result" : "";
        return answer.errorCode() + "@" + answer.messageId() + suffix;
    }
}
