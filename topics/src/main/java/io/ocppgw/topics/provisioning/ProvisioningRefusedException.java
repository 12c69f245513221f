package io.ocppgw.topics.provisioning;

/** {@code apply} found a difference it must not fix; nothing was changed. */
public final class ProvisioningRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ProvisioningPlan plan;

    public ProvisioningRefusedException(ProvisioningPlan plan) {
        super("provisioning refused, nothing changed:\n"
                + plan.refusals().stream()
                        .map(r -> "  " + r.topicName() + ": " + r.reason())
                        .reduce((a, b) -> a + "\n" + b)
                        .orElse(""));
        this.plan = plan;
    }

    public ProvisioningPlan plan() {
        return plan;
    }
}
