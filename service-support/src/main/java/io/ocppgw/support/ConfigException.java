package io.ocppgw.support;

import java.net.BindException;
import java.util.List;

/**
 * Configuration that cannot be used. Lists every problem found, each naming the variable, the value
 * and the rule, so an operator fixes them all in one go. Mains exit with status 2 on it.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** A listener that could not be opened on {@code variable}'s port: names the variable, the value and the cause. */
    public static ConfigException cannotListen(String variable, int port, String host, Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof BindException)) {
            cause = cause.getCause();
        }
        return new ConfigException(
                List.of(variable + "='" + port + "': cannot listen on " + host + " (" + cause.getMessage() + ")"));
    }

    public List<String> problems() {
        return problems;
    }
}
