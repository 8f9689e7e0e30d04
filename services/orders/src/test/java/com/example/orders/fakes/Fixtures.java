package com.example.orders.fakes;

import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.schema.EventSchemas;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** JSON fixtures under {@code src/test/resources/fixtures/} and shared test constants. */
public final class Fixtures {
  public static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static EventSchemas schemas;

  private Fixtures() {}

  public static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode json(String name) {
    return (ObjectNode) EventJson.parse(text(name));
  }

  public static JsonNode parse(String json) {
    return EventJson.parse(json);
  }

  public static synchronized EventSchemas schemas() {
    if (schemas == null) {
      schemas = new EventSchemas(Catalog.fromClasspath());
    }
    return schemas;
  }
}
