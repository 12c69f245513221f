package io.ocppgw.launcher;

import io.ocppgw.reconcile.ReconcileApp;
import io.ocppgw.reconcile.ReconcileConfig;
import io.ocppgw.support.KafkaWait;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ocppgw reconcile}: a reconciliation-streams instance. Options are their {@code OCPPGW_*} variables, validated by {@link ReconcileConfig}. */
@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        description =
                "Run reconciliation-streams: transaction state from the journal, reconciliation events, transaction queries.")
final class ReconcileCommand implements Callable<Integer> {

    @Option(names = "--admin-port", description = "Health, metrics and query API port. Default: 9082.")
    String adminPort;

    @Option(
            names = "--grace",
            description = "How long after a boot to wait for an open transaction's stop or resumed readings, "
                    + "and for late seqNos, before reporting (ISO-8601). Default: PT5M.")
    String grace;

    @Option(
            names = "--meter-gap-factor",
            description = "No sample for more than this many observed intervals is a METER_GAP. Default: 3.")
    String meterGapFactor;

    @Mixin
    StreamsOptions streams;

    @Option(names = "--keep-stopped", description = "Stopped transactions remembered per charge point. Default: 16.")
    String keepStopped;

    @Option(
            names = "--recent-frames",
            description = "Journal frames kept per charge point for /api/v1/frames/{cp}, 0-1000. Default: 50.")
    String recentFrames;

    @Option(
            names = "--redact",
            description = "Names whose values /api/v1/frames/{cp} hides, comma-separated."
                    + " Default: AuthorizationKey,BasicAuthPassword,password,privateKey.")
    String redact;

    @Option(
            names = "--recent-events",
            description = "Events kept per charge point for /api/v1/reconciliation/{cp}. Default: 20.")
    String recentEvents;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ReconcileConfig config = ReconcileConfig.fromEnv(EnvDefaults.variables(spec));
        KafkaWait.untilReady(
                "reconcile",
                config.streams().kafka(),
                config.settings().topics().all(),
                config.streams().host(),
                config.streams().adminPort());
        var service = ReconcileApp.start(config);
        return Serving.untilStopped(service, "reconcile", service.failure());
    }
}
