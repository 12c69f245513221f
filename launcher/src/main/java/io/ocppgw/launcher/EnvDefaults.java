package io.ocppgw.launcher;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Lets every option come from the environment: {@code --admin-port} ←
 * {@code OCPPGW_ADMIN_PORT}; {@code --bootstrap-server} also ← {@code KAFKA_BOOTSTRAP_SERVERS}.
 * The command line wins over the environment.
 */
final class EnvDefaults implements CommandLine.IDefaultValueProvider {

    static final String BOOTSTRAP_OPTION = "--bootstrap-server";
    static final String KAFKA_BOOTSTRAP = "KAFKA_BOOTSTRAP_SERVERS";

    private final Map<String, String> env;

    EnvDefaults(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The environment the command line runs in; the one source for {@code KAFKA_*} pass-through too. */
    Map<String, String> environment() {
        return env;
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (!(argSpec instanceof CommandLine.Model.OptionSpec option)) {
            return argSpec.defaultValue();
        }
        Optional<String> fromEnv = lookup(option.longestName());
        return fromEnv.orElse(option.defaultValue());
    }

    /** The variable an option reads, e.g. {@code OCPPGW_ADMIN_PORT} for {@code --admin-port}. */
    static String variableFor(String optionName) {
        return "OCPPGW_" + optionName.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Which set variable provided the option's value, if any (for error messages). */
    Optional<String> sourceOf(String optionName) {
        String own = variableFor(optionName);
        if (isSet(own)) {
            return Optional.of(own);
        }
        if (BOOTSTRAP_OPTION.equals(optionName) && isSet(KAFKA_BOOTSTRAP)) {
            return Optional.of(KAFKA_BOOTSTRAP);
        }
        return Optional.empty();
    }

    private Optional<String> lookup(String optionName) {
        return sourceOf(optionName).map(env::get).map(String::trim);
    }

    private boolean isSet(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** The environment of the run, with every option given on the command line written over its variable. */
    /** The environment the command line was run with. */
    static Map<String, String> environment(CommandLine.Model.CommandSpec spec) {
        return ((EnvDefaults) spec.root().commandLine().getDefaultValueProvider()).environment();
    }

    static Map<String, String> variables(CommandLine.Model.CommandSpec spec) {
        Map<String, String> vars = new java.util.HashMap<>(environment(spec));
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            Object value = option.getValue();
            if (value instanceof String s && !option.usageHelp() && !option.versionHelp()) {
                vars.put(variableFor(option.longestName()), s);
            }
        }
        return vars;
    }
}
