package io.ocppgw.simulator.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the demo backend answers (pure): Authorize by an allow-list (or everything), 1.6
 * StartTransaction with a transaction id — the same id again for a retried start, recognised by its
 * natural key (connector, idTag, timestamp, meterStart), never by message id — and DataTransfer with
 * a configured status. Everything else is not the backend's to answer.
 */
public final class DemoAnswers {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int REMEMBERED_STARTS = 100_000;

    private final Optional<Set<String>> acceptedIdTags;
    private final String dataTransferStatus;
    private final Map<String, Integer> transactionIds = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED_STARTS;
        }
    };
    private int nextTransactionId;

    /**
     * @param acceptedIdTags     empty: accept every idTag
     * @param firstTransactionId where transaction ids start (pick one above what a previous run gave out)
     */
    public DemoAnswers(Optional<Set<String>> acceptedIdTags, String dataTransferStatus, int firstTransactionId) {
        this.acceptedIdTags = acceptedIdTags.map(Set::copyOf);
        this.dataTransferStatus = dataTransferStatus;
        this.nextTransactionId = firstTransactionId;
    }

    /** The CALLRESULT payload for a charge point's CALL, if the backend answers this action. */
    public synchronized Optional<ObjectNode> answer(
            String chargePointId, String ocppVersion, String action, JsonNode request) {
        boolean v16 = "ocpp1.6".equals(ocppVersion);
        switch (action) {
            case "Authorize":
                if (v16) {
                    return Optional.of(idTagInfo(
                            JSON.objectNode(),
                            "idTagInfo",
                            request.path("idTag").asText()));
                }
                return Optional.of(idTagInfo(
                        JSON.objectNode(),
                        "idTokenInfo",
                        request.path("idToken").path("idToken").asText()));
            case "StartTransaction":
                if (!v16) {
                    return Optional.empty();
                }
                String naturalKey =
                        chargePointId + "|" + request.path("connectorId").asText() + "|"
                                + request.path("idTag").asText() + "|"
                                + request.path("timestamp").asText() + "|"
                                + request.path("meterStart").asText();
                int id = transactionIds.computeIfAbsent(naturalKey, k -> nextTransactionId++);
                return Optional.of(idTagInfo(
                        JSON.objectNode().put("transactionId", id),
                        "idTagInfo",
                        request.path("idTag").asText()));
            case "DataTransfer":
                return Optional.of(JSON.objectNode().put("status", dataTransferStatus));
            default:
                return Optional.empty();
        }
    }

    private ObjectNode idTagInfo(ObjectNode answer, String field, String idTag) {
        boolean accepted = acceptedIdTags.map(tags -> tags.contains(idTag)).orElse(true);
        answer.putObject(field).put("status", accepted ? "Accepted" : "Invalid");
        return answer;
    }
}
