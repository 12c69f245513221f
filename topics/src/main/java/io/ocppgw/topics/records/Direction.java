package io.ocppgw.topics.records;

/** Which way a journaled frame travelled. */
public enum Direction {
    FROM_CP,
    TO_CP
}
