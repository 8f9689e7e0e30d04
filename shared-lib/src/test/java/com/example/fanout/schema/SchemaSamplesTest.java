package com.example.fanout.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every sample beside a schema behaves as its name says: valid-* passes, invalid-* fails. */
class SchemaSamplesTest {
  private final EventSchemas schemas = new EventSchemas(Catalog.load(Repo.services()));

  @TestFactory
  Stream<DynamicTest> samples_shouldValidateAsNamed() throws IOException {
    List<Path> samples;
    try (Stream<Path> files = Files.walk(Repo.services())) {
      // The catalog's own samples, not the copies a build put in a function's slice under target/.
      samples = files.filter(p -> p.getParent().getParent().getFileName().toString().equals("samples"))
          .filter(p -> Repo.services().relativize(p).getName(1).toString().equals("schemas"))
          .filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(samples).hasSizeGreaterThanOrEqualTo(27);
    return samples.stream().map(sample -> DynamicTest.dynamicTest(Repo.root().relativize(sample).toString(), () -> {
      var envelope = EventJson.readEnvelope(Files.readString(sample));
      if (sample.getFileName().toString().startsWith("valid-")) {
        schemas.validate(envelope);
      } else {
        assertThatThrownBy(() -> schemas.validate(envelope)).isInstanceOf(SchemaViolationException.class);
      }
    }));
  }

  @Test
  void every_publishedType_shouldHaveAValidAndAnInvalidSample() {
    Catalog catalog = schemas.catalog();
    catalog.services().forEach(service -> service.publishes().forEach(p -> {
      Path dir = service.directory().resolve("schemas/samples/" + p.type() + ".v" + p.version());
      assertThat(dir.resolve("valid-basic.json")).as(p.type()).isRegularFile();
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.filter(f -> f.getFileName().toString().startsWith("invalid-"))).as(p.type()).isNotEmpty();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }));
  }

  @Test
  void validate_shouldListEachViolation_whenDataBreaksSeveralRules() throws IOException {
    var sample = EventJson.readEnvelope(Files.readString(Repo.services().resolve("orders/schemas/samples/OrderPlaced.v1/valid-basic.json")));
    var data = (com.fasterxml.jackson.databind.node.ObjectNode) sample.data();
    data.put("customerEmail", "not-an-email");
    data.put("currency", "euro");
    var broken = new com.example.fanout.event.Envelope(sample.id(), sample.type(), 1, sample.source(), sample.occurredAt(),
        sample.correlationId(), null, data);

    assertThatThrownBy(() -> schemas.validate(broken))
        .isInstanceOfSatisfying(SchemaViolationException.class, e -> assertThat(e.violations())
            .anySatisfy(v -> assertThat(v).startsWith("/customerEmail"))
            .anySatisfy(v -> assertThat(v).startsWith("/currency")));
  }

  @Test
  void validate_shouldRejectUnknownTypesAndVersions() throws IOException {
    var sample = EventJson.readEnvelope(Files.readString(Repo.services().resolve("orders/schemas/samples/OrderPlaced.v1/valid-basic.json")));

    assertThatThrownBy(() -> schemas.validate(new com.example.fanout.event.Envelope("e", "OrderTeleported", 1, sample.source(),
        sample.occurredAt(), "c", null, sample.data()))).isInstanceOf(UnknownEventTypeException.class);
    assertThatThrownBy(() -> schemas.validate(new com.example.fanout.event.Envelope("e", "OrderPlaced", 7, sample.source(),
        sample.occurredAt(), "c", null, sample.data()))).isInstanceOf(UnknownEventTypeException.class).hasMessageContaining("version 7");
    assertThatThrownBy(() -> schemas.validate(new com.example.fanout.event.Envelope("e", "OrderPlaced", 1, "com.example.rogue",
        sample.occurredAt(), "c", null, sample.data()))).isInstanceOf(SchemaViolationException.class).hasMessageContaining("published by com.example.orders");
  }
}
