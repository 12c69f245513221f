package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README's promise: every OCPPGW_* variable it documents is also an option of some command, except the two it names. */
class ReadmeOptionsTest {

    private static final Set<String> VARIABLES_ONLY = Set.of("OCPPGW_LOG_FORMAT", "OCPPGW_LOG_LEVEL");

    @Test
    void shouldOfferEveryDocumentedVariableAsAnOption() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("`(OCPPGW_[A-Z0-9_]+)`").matcher(readme);
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> options = new TreeSet<>();
        collect(new CommandLine(new Ocppgw()), options);

        documented.removeAll(VARIABLES_ONLY);
        documented.removeIf(v -> v.equals("OCPPGW_X_Y")); // the README's example of the naming rule
        assertThat(documented).hasSizeGreaterThan(50);
        assertThat(documented).as("documented variables without an option").isSubsetOf(options);
    }

    private static void collect(CommandLine cli, Set<String> variables) {
        cli.getCommandSpec().options().forEach(o -> variables.add(EnvDefaults.variableFor(o.longestName())));
        cli.getSubcommands().values().forEach(sub -> collect(sub, variables));
    }
}
