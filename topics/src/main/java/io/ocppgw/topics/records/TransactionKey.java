package io.ocppgw.topics.records;

/**
 * The key of {@code transactions}: chargePointId and transaction id joined by ':'. A charge point
 * identity never contains ':' (the edge refuses such identities), so the key splits unambiguously.
 */
public final class TransactionKey {

    private TransactionKey() {}

    public static String of(String chargePointId, String transactionId) {
        if (chargePointId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("charge point id must not contain ':': " + chargePointId);
        }
        return chargePointId + ":" + transactionId;
    }

    public static String chargePointId(String key) {
        return key.substring(0, key.indexOf(':'));
    }

    public static String transactionId(String key) {
        return key.substring(key.indexOf(':') + 1);
    }
}
