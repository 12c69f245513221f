package io.ocppgw.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Logging set up once in {@code main}: SLF4J over Logback to stdout, as text or as one JSON object
 * per line. The apps log their context as SLF4J key-value pairs ({@code chargePointId},
 * {@code commandId}, {@code status}, {@code reason}, {@code pod}, {@code partition} …): in JSON each is
 * a field of the line (Logstash's encoder), in text {@code key="value"} after the message. Kafka's
 * chatty loggers start at WARN, and each of their repeated warnings is let through once in 30 s.
 */
public final class Logging {

    public enum Format {
        TEXT,
        JSON
    }

    /** The root level; the variable accepts exactly these, so a typo is refused rather than read as INFO. */
    public enum Threshold {
        TRACE,
        DEBUG,
        INFO,
        WARN,
        ERROR,
        OFF
    }

    private static final Map<String, Level> QUIET = Map.of(
            "org.apache.kafka", Level.WARN,
            "kafka", Level.WARN,
            "state.change.logger", Level.OFF,
            "org.xnio", Level.WARN,
            "io.undertow", Level.WARN,
            "org.apache.zookeeper", Level.WARN,
            // the OCA schemas carry a "comment" keyword the validator reports as unknown at every start
            "com.networknt.schema", Level.ERROR);

    /** The Kafka clients repeat a warning per connection attempt; one per logger and pattern in this window gets through. */
    static final java.time.Duration KAFKA_WARNING_WINDOW = java.time.Duration.ofSeconds(30);

    private Logging() {}

    public static void configure(Format format, Threshold level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J provider is in charge
        }
        context.reset();
        Encoder<ILoggingEvent> encoder;
        if (format == Format.JSON) {
            encoder = new LogstashEncoder();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg %kvp%n");
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("stdout");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level.name()));
        root.addAppender(console);
        QUIET.forEach((name, lvl) -> context.getLogger(name).setLevel(lvl));
        RepeatedWarningLimit limit =
                new RepeatedWarningLimit("org.apache.kafka", KAFKA_WARNING_WINDOW.toNanos(), System::nanoTime);
        limit.setContext(context);
        limit.start();
        context.addTurboFilter(limit);
    }
}
