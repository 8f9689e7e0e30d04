package com.example.fanout.schema;

import java.util.List;

/** The event's data does not match the schema of its type and version; retrying cannot fix it. */
public class SchemaViolationException extends RuntimeException {
  private final List<String> violations;

  public SchemaViolationException(String type, int version, List<String> violations) {
    super(type + " v" + version + " violates its schema: " + String.join("; ", violations));
    this.violations = List.copyOf(violations);
  }

  public List<String> violations() {
    return violations;
  }
}
