package io.ocppgw.launcher;

import picocli.CommandLine.Option;

/** The options both streams apps share ({@code route}, {@code reconcile}); each is its {@code OCPPGW_*} variable. */
final class StreamsOptions {

    @Option(
            names = EnvDefaults.BOOTSTRAP_OPTION,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (env: OCPPGW_BOOTSTRAP_SERVER or KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServer;

    @Option(names = "--host", description = "Address to bind the admin port. Default: 0.0.0.0.")
    String host;

    @Option(
            names = "--advertised-host",
            description = "This instance's host as other instances reach it (application.server). Default: 127.0.0.1.")
    String advertisedHost;

    @Option(names = "--state-dir", description = "RocksDB state directory. Default: <tmp>/ocppgw-<command>.")
    String stateDir;

    @Option(names = "--instance-id", description = "Static group membership id (e.g. the pod name).")
    String instanceId;

    @Option(
            names = "--processing-guarantee",
            description = "exactly_once_v2 or at_least_once. Default: exactly_once_v2.")
    String processingGuarantee;

    @Option(
            names = "--commit-interval",
            description =
                    "Streams commit interval (ISO-8601). Default: PT0.03S under exactly_once_v2, PT1S under at_least_once.")
    String commitInterval;

    @Option(names = "--standby-replicas", description = "Standby replicas of the stores. Default: 0.")
    String standbyReplicas;

    @Option(names = "--topic-prefix", description = "Prefix of every topic name.")
    String topicPrefix;

    @Option(
            names = "--application-id",
            description = "Streams application id. Default: <prefix>ocppgw-route or <prefix>ocppgw-reconcile.")
    String applicationId;

    @Option(
            names = "--backlog-commit-interval",
            description =
                    "Exactly-once only: how long a transaction may grow while the stream thread has records left (ISO-8601). Default: PT1S.")
    String backlogCommitInterval;

    @Option(names = "--stream-threads", description = "Stream threads per process, 1-64. Default: 1.")
    String streamThreads;

    @Option(
            names = "--max-task-idle",
            description =
                    "Extra time a task idles when one co-partitioned input is caught up but empty (ISO-8601). Default: PT0S.")
    String maxTaskIdle;

    @Option(
            names = "--rocksdb-memory-mb",
            description = "RocksDB block cache and write buffers of the process, in MiB. Default: 64.")
    String rocksdbMemoryMb;

    @Option(
            names = "--max-thread-replacements",
            description = "Replacements of a failed stream thread before the process exits 1. Default: 3.")
    String maxThreadReplacements;
}
