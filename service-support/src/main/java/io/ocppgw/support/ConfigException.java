package io.ocppgw.support;

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

    public List<String> problems() {
        return problems;
    }
}
