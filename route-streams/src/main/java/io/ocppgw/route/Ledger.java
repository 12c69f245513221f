package io.ocppgw.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A charge point's open commands, oldest first. Immutable; changes return a new ledger. */
public record Ledger(List<LedgerEntry> entries) {

    public Ledger {
        entries = List.copyOf(entries);
    }

    public static Ledger empty() {
        return new Ledger(List.of());
    }

    public Optional<LedgerEntry> find(String commandId) {
        return entries.stream().filter(e -> e.command().commandId().equals(commandId)).findFirst();
    }

    public Ledger put(LedgerEntry entry) {
        List<LedgerEntry> next = new ArrayList<>();
        boolean replaced = false;
        for (LedgerEntry e : entries) {
            if (e.command().commandId().equals(entry.command().commandId())) {
                next.add(entry);
                replaced = true;
            } else {
                next.add(e);
            }
        }
        if (!replaced) {
            next.add(entry);
        }
        return new Ledger(next);
    }

    public Ledger remove(String commandId) {
        return new Ledger(entries.stream().filter(e -> !e.command().commandId().equals(commandId)).toList());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
