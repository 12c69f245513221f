package io.ocppgw.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.protocol.ErrorCode;
import io.ocppgw.protocol.Errors;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;

/**
 * How a simulated charge point answers the CSMS, like cooperative firmware: remote start/stop, reset,
 * trigger, configuration and variables, unlock and DataTransfer are accepted; anything else is
 * {@code NotSupported}. Pure.
 */
public final class CsmsCallAnswers {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CsmsCallAnswers() {}

    public static OcppFrame answer(OcppVersion version, String action, ObjectNode request) {
        ObjectNode accepted = JSON.objectNode().put("status", "Accepted");
        ObjectNode payload = switch (action) {
            case "RemoteStartTransaction",
                    "RemoteStopTransaction",
                    "RequestStartTransaction",
                    "RequestStopTransaction",
                    "Reset",
                    "TriggerMessage",
                    "ChangeConfiguration",
                    "ChangeAvailability",
                    "ClearCache",
                    "DataTransfer" -> accepted;
            case "UnlockConnector" -> JSON.objectNode().put("status", "Unlocked");
            case "GetConfiguration" -> getConfiguration(request);
            case "SetVariables" -> variables(request, "setVariableData", "setVariableResult", "Accepted");
            case "GetVariables" -> variables(request, "getVariableData", "getVariableResult", "UnknownVariable");
            default -> null;
        };
        if (payload == null) {
            return Errors.callError(version, "", ErrorCode.NOT_SUPPORTED, "simulator does not support " + action);
        }
        return new OcppFrame.CallResult("", payload);
    }

    private static ObjectNode getConfiguration(ObjectNode request) {
        ObjectNode answer = JSON.objectNode();
        ArrayNode known = answer.putArray("configurationKey");
        known.addObject().put("key", "HeartbeatInterval").put("readonly", false).put("value", "300");
        known.addObject()
                .put("key", "MeterValueSampleInterval")
                .put("readonly", false)
                .put("value", "60");
        JsonNode asked = request.get("key");
        if (asked != null && asked.isArray()) {
            ArrayNode unknown = answer.putArray("unknownKey");
            asked.forEach(k -> {
                if (!k.asText().equals("HeartbeatInterval") && !k.asText().equals("MeterValueSampleInterval")) {
                    unknown.add(k.asText());
                }
            });
        }
        return answer;
    }

    private static ObjectNode variables(ObjectNode request, String in, String out, String status) {
        ObjectNode answer = JSON.objectNode();
        ArrayNode results = answer.putArray(out);
        JsonNode data = request.get(in);
        if (data != null && data.isArray()) {
            for (JsonNode d : data) {
                ObjectNode r = results.addObject().put("attributeStatus", status);
                r.set("component", d.get("component"));
                r.set("variable", d.get("variable"));
            }
        }
        return answer;
    }
}
