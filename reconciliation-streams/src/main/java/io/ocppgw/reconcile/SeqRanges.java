package io.ocppgw.reconcile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The 2.x TransactionEvent seqNos seen for one transaction, kept as sorted, disjoint [from, to] ranges
 * so a long transaction costs a few numbers, not one per event.
 */
final class SeqRanges {

    private final List<int[]> ranges;

    SeqRanges() {
        this(new ArrayList<>());
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    SeqRanges(List<int[]> ranges) {
        this.ranges = new ArrayList<>(ranges);
    }

    @JsonValue
    List<int[]> ranges() {
        return ranges;
    }

    boolean contains(int n) {
        for (int[] r : ranges) {
            if (n >= r[0] && n <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** Adds n; false if it was already there. */
    boolean add(int n) {
        if (contains(n)) {
            return false;
        }
        int i = 0;
        while (i < ranges.size() && ranges.get(i)[1] < n) {
            i++;
        }
        ranges.add(i, new int[] {n, n});
        // merge with neighbours that now touch
        if (i + 1 < ranges.size() && ranges.get(i + 1)[0] == n + 1) {
            ranges.get(i)[1] = ranges.get(i + 1)[1];
            ranges.remove(i + 1);
        }
        if (i > 0 && ranges.get(i - 1)[1] == n - 1) {
            ranges.get(i - 1)[1] = ranges.get(i)[1];
            ranges.remove(i);
        }
        return true;
    }

    /** The numbers missing between the lowest and highest seen, at most {@code limit} of them. */
    List<Integer> holes(int limit) {
        List<Integer> holes = new ArrayList<>();
        for (int i = 1; i < ranges.size() && holes.size() < limit; i++) {
            for (int n = ranges.get(i - 1)[1] + 1; n < ranges.get(i)[0] && holes.size() < limit; n++) {
                holes.add(n);
            }
        }
        return holes;
    }

    Integer highest() {
        return ranges.isEmpty() ? null : ranges.get(ranges.size() - 1)[1];
    }
}
