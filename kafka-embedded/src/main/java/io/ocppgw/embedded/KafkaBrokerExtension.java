package io.ocppgw.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes one real broker, started on first use and shared by every class of the test
 * JVM (starting one costs seconds); closed when the JVM's test run ends. Use {@link WithKafkaBroker}
 * and take an {@link EmbeddedKafka} parameter. Tests sharing it keep apart by topic names.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    private static EmbeddedKafka broker(ExtensionContext context) {
        // The root store lives as long as the whole run and closes AutoCloseable values at its end.
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        EmbeddedKafka.class, k -> EmbeddedKafka.start(BrokerSettings.ephemeral()), EmbeddedKafka.class);
    }
}
