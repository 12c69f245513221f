package io.ocppgw.edge.upstream;

import java.util.List;
import java.util.Map;

/**
 * How each CALL action of a charge point is handled: who answers it, what a charge point gets when its
 * backend does not answer in time, and how its payload is checked against the schema.
 *
 * @param validation          the schema policy of every action not in {@code validationOverrides}
 * @param validationOverrides per action (for firmware known to be quirky)
 * @param responders          per action; the others as {@link #responderFor} says
 * @param fallbacks           per action; the others as {@link #fallbackFor} says
 */
public record CallPolicies(
        ValidationPolicy validation,
        Map<String, ValidationPolicy> validationOverrides,
        Map<String, ResponderPolicy> responders,
        Map<String, FallbackPolicy> fallbacks) {

    /** Actions answered by a backend unless configured otherwise. */
    static final List<String> BACKEND_BY_DEFAULT = List.of("Authorize", "StartTransaction", "DataTransfer");

    public CallPolicies {
        validationOverrides = Map.copyOf(validationOverrides);
        responders = Map.copyOf(responders);
        fallbacks = Map.copyOf(fallbacks);
    }

    public ResponderPolicy responderFor(String action) {
        return responders.getOrDefault(
                action, BACKEND_BY_DEFAULT.contains(action) ? ResponderPolicy.BACKEND : ResponderPolicy.ACK);
    }

    public FallbackPolicy fallbackFor(String action) {
        return fallbacks.getOrDefault(
                action, "DataTransfer".equals(action) ? FallbackPolicy.ANSWER : FallbackPolicy.CLOSE);
    }

    public ValidationPolicy validationFor(String action) {
        return validationOverrides.getOrDefault(action, validation);
    }
}
