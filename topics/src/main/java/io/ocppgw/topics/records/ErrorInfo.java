package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;

/** A CALLERROR's content as carried in records: code as spelled on the wire, description, details. */
public record ErrorInfo(String code, String description, JsonNode details) {}
