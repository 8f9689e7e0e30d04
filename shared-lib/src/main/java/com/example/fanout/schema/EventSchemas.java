package com.example.fanout.schema;

import com.example.fanout.event.Envelope;
import com.example.fanout.manifest.Catalog;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates an envelope's {@code data} against the JSON Schema of its type and version. Schemas
 * are compiled once per container and cached; formats (email, date-time) are asserted.
 */
public final class EventSchemas {
  private final Catalog catalog;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  private final ConcurrentHashMap<String, Schema> compiled = new ConcurrentHashMap<>();

  public EventSchemas(Catalog catalog) {
    this.catalog = catalog;
  }

  public Catalog catalog() {
    return catalog;
  }

  /**
   * @throws UnknownEventTypeException if no manifest publishes the type or the version has no schema
   * @throws SchemaViolationException  listing every violation if the data does not match
   */
  public void validate(Envelope envelope) {
    var publisher = catalog.publisherOf(envelope.type())
        .orElseThrow(() -> new UnknownEventTypeException("no service publishes event type " + envelope.type()));
    if (!publisher.source().equals(envelope.source())) {
      throw new SchemaViolationException(envelope.type(), envelope.version(), List.of(
          "source: " + envelope.type() + " is published by " + publisher.source() + ", not " + envelope.source()));
    }
    List<String> violations = envelope.readData(data -> violations(envelope.type(), envelope.version(), data));
    if (!violations.isEmpty()) {
      throw new SchemaViolationException(envelope.type(), envelope.version(), violations);
    }
  }

  /** Every violation of {@code data} against the schema, as "location: message"; empty if valid. */
  public List<String> violations(String type, int version, JsonNode data) {
    Schema schema = compiled.computeIfAbsent(type + ".v" + version, key -> compile(type, version));
    List<Error> errors = schema.validate(data);
    return errors.stream().map(EventSchemas::describe).toList();
  }

  private Schema compile(String type, int version) {
    Path file = catalog.schemaFile(type, version)
        .orElseThrow(() -> new UnknownEventTypeException("no schema for " + type + " version " + version));
    try {
      return registry.getSchema(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + file, e);
    }
  }

  private static String describe(Error error) {
    String location = error.getInstanceLocation() == null ? "$" : error.getInstanceLocation().toString();
    return location + ": " + error.getMessage();
  }
}
