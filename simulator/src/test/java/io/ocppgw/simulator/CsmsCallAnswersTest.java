package io.ocppgw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.protocol.PayloadKind;
import io.ocppgw.protocol.SchemaValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsmsCallAnswersTest {

    private static final SchemaValidator VALIDATOR = new SchemaValidator();
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ocpp1.6   | RemoteStartTransaction | {\"idTag\": \"T\"}",
                "ocpp1.6   | RemoteStopTransaction  | {\"transactionId\": 7}",
                "ocpp1.6   | Reset                  | {\"type\": \"Soft\"}",
                "ocpp1.6   | TriggerMessage         | {\"requestedMessage\": \"Heartbeat\"}",
                "ocpp1.6   | ChangeConfiguration    | {\"key\": \"HeartbeatInterval\", \"value\": \"60\"}",
                "ocpp1.6   | GetConfiguration       | {\"key\": [\"HeartbeatInterval\", \"Nope\"]}",
                "ocpp1.6   | UnlockConnector        | {\"connectorId\": 1}",
                "ocpp1.6   | DataTransfer           | {\"vendorId\": \"v\"}",
                "ocpp2.0.1 | RequestStartTransaction | {\"idToken\": {\"idToken\": \"T\", \"type\": \"ISO14443\"}, \"remoteStartId\": 1}",
                "ocpp2.0.1 | RequestStopTransaction | {\"transactionId\": \"abc\"}",
                "ocpp2.0.1 | Reset                  | {\"type\": \"Immediate\"}",
                "ocpp2.0.1 | SetVariables           | {\"setVariableData\": [{\"attributeValue\": \"1\", \"component\": {\"name\": \"C\"}, \"variable\": {\"name\": \"V\"}}]}",
                "ocpp2.0.1 | GetVariables           | {\"getVariableData\": [{\"component\": {\"name\": \"C\"}, \"variable\": {\"name\": \"V\"}}]}",
                "ocpp2.0.1 | UnlockConnector        | {\"evseId\": 1, \"connectorId\": 1}",
                "ocpp2.0.1 | TriggerMessage         | {\"requestedMessage\": \"Heartbeat\"}",
            })
    void shouldAnswerLikeCooperativeFirmwareWithSchemaValidPayloads(String token, String action, String request)
            throws Exception {
        OcppVersion version = OcppVersion.fromToken(token).orElseThrow();
        assertThat(VALIDATOR
                        .validate(version, action, PayloadKind.REQUEST, JSON.readTree(request))
                        .isValid())
                .as("request")
                .isTrue();

        OcppFrame answer = CsmsCallAnswers.answer(version, action, (ObjectNode) JSON.readTree(request));

        assertThat(answer).isInstanceOf(OcppFrame.CallResult.class);
        var check =
                VALIDATOR.validate(version, action, PayloadKind.RESPONSE, ((OcppFrame.CallResult) answer).payload());
        assertThat(check.isValid()).as(check.description()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"ocpp1.6, UpdateFirmware, NotSupported", "ocpp2.0.1, InstallCertificate, NotSupported"})
    void shouldRefuseWhatItDoesNotSupport(String token, String action, String code) {
        OcppFrame answer =
                CsmsCallAnswers.answer(OcppVersion.fromToken(token).orElseThrow(), action, JSON.createObjectNode());

        assertThat(((OcppFrame.CallError) answer).errorCode()).isEqualTo(code);
    }
}
