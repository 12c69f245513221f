package io.ocppgw.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads typed settings from environment variables ({@code OCPPGW_*}). Pure: it takes a map, so tests
 * pass one. Every problem is collected; {@link #validate()} throws them all at once. Typical use in a
 * config record's {@code fromEnv}: read every field, then {@code validate()}, then construct.
 */
public final class Env {

    private final Map<String, String> vars;
    private final List<String> problems = new ArrayList<>();

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The raw value, blank counted as absent. */
    public Optional<String> raw(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String string(String name, String defaultValue) {
        return raw(name).orElse(defaultValue);
    }

    public String requiredString(String name) {
        Optional<String> v = raw(name);
        if (v.isEmpty()) {
            problems.add(name + " is not set: it is required");
            return "";
        }
        return v.get();
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> v = raw(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(v.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the rule
        }
        problems.add(name + "='" + v.get() + "': must be a whole number from " + min + " to " + max);
        return defaultValue;
    }

    public int port(String name, int defaultValue) {
        return integer(name, defaultValue, 1, 65535);
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> v = raw(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> {
                problems.add(name + "='" + v.get() + "': must be true or false");
                yield defaultValue;
            }
        };
    }

    /** ISO-8601 duration ({@code PT10S}, {@code PT5M}) within [min, max]. */
    public Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
        Optional<String> v = raw(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            Duration d = Duration.parse(v.get());
            if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below with the rule
        }
        problems.add(
                name + "='" + v.get() + "': must be an ISO-8601 duration from " + min + " to " + max + " (e.g. PT10S)");
        return defaultValue;
    }

    /** One of the enum's constants, matched case-insensitively with '-' read as '_'. */
    public <E extends Enum<E>> E choice(String name, Class<E> type, E defaultValue) {
        Optional<String> v = raw(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String wanted = v.get().toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        problems.add(name + "='" + v.get() + "': must be one of "
                + Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .collect(Collectors.joining(", ")));
        return defaultValue;
    }

    /**
     * A value made by {@code parser}, which throws IllegalArgumentException with the rule when the
     * value breaks it; then the problem names the variable, the value and that rule.
     */
    public <T> T parsed(String name, String defaultValue, Function<String, T> parser, T fallback) {
        String v = string(name, defaultValue);
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            problems.add(name + "='" + v + "': " + e.getMessage());
            return fallback;
        }
    }

    /** Adds a problem found by a rule across several variables. */
    public void problem(String message) {
        problems.add(message);
    }

    /** Throws every problem found so far. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }
}
