package io.ocppgw.route;

import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.RoutedCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * What the rules decided for one input: state changes and records to write, in the order they must
 * happen. {@link RouterProcessor} carries it out; tests read it.
 */
final class Decision {

    /** One thing to do. */
    sealed interface Effect {}

    record PutRoute(Route route) implements Effect {}

    record PutEntry(LedgerEntry entry) implements Effect {}

    /** The entry leaves the ledger (finished, or a REPLY handed on); {@code result}, if any, is remembered with it. */
    record RemoveEntry(LedgerEntry entry) implements Effect {}

    /** Remember a finished command under its key (for duplicates and queries). */
    record Remember(String chargePointId, String commandId, FinishedCommand finished) implements Effect {}

    record Down(RoutedCommand routed) implements Effect {}

    record Result(CommandResult result) implements Effect {}

    /** Write the command again, keyed so that it lands on its key's partition of {@code commands}. */
    record Rekey(Command command) implements Effect {}

    /** Something worth counting that changes nothing (a duplicate, a stale report…). */
    record Count(String what) implements Effect {}

    private final List<Effect> effects = new ArrayList<>();

    Decision add(Effect e) {
        effects.add(e);
        return this;
    }

    List<Effect> effects() {
        return effects;
    }

    List<CommandResult> results() {
        return effects.stream()
                .filter(e -> e instanceof Result)
                .map(e -> ((Result) e).result())
                .toList();
    }

    List<RoutedCommand> down() {
        return effects.stream()
                .filter(e -> e instanceof Down)
                .map(e -> ((Down) e).routed())
                .toList();
    }

    List<LedgerEntry> puts() {
        return effects.stream()
                .filter(e -> e instanceof PutEntry)
                .map(e -> ((PutEntry) e).entry())
                .toList();
    }

    List<String> counts() {
        return effects.stream()
                .filter(e -> e instanceof Count)
                .map(e -> ((Count) e).what())
                .toList();
    }

    boolean isEmpty() {
        return effects.isEmpty();
    }
}
