package io.ocppgw.protocol;

/**
 * One way a payload breaks its schema: where (a JSON path), which schema keyword, and the
 * validator's message.
 */
public record SchemaViolation(String path, String keyword, String message) {}
