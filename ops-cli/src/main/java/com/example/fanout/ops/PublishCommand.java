package com.example.fanout.ops;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.ServiceManifest;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.publish.EventRejectedException;
import com.example.fanout.publish.FailedEntry;
import com.example.fanout.publish.PublishResult;
import com.example.fanout.schema.EventSchemas;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Publishes one event through the shared-lib {@link EventPublisher}: the manifest of the service
 * that owns the type gives source and version, the schema is checked before anything is sent.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publish one (e.g. compensating) event, schema-checked, to the bus <env>-fanout.", "",
        "Through the shared-lib EventPublisher: source and version from the owning service's manifest,",
        "validated against its JSON Schema before anything is sent."})
final class PublishCommand implements Callable<Integer> {
  @Mixin
  Target target;

  @Parameters(paramLabel = "<type>", description = "event type (detail-type), e.g. PaymentFailed")
  String type;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "JSON file with the event's data object ('-' for stdin)")
  String data;

  @Option(names = "--correlation-id", description = "the order's correlation id (default: a new one)")
  String correlationId;

  @Option(names = "--causation-id", description = "id of the event this one answers, if any")
  String causationId;

  @Option(names = "--dry-run", description = "validate and print the event; send nothing")
  boolean dryRun;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    ServiceManifest.Publication publication = target.catalog().publication(type).orElseThrow(() -> new OpsException(
        Fanout.REFUSED, "no service in " + target.servicesDir() + " publishes " + type));
    ServiceManifest owner = target.catalog().publisherOf(type).orElseThrow();
    JsonNode payload;
    try {
      payload = EventJson.parse("-".equals(data) ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          : Files.readString(Path.of(data)));
    } catch (IOException | RuntimeException e) {
      throw new OpsException(Fanout.REFUSED, "cannot read the data of " + type + " from " + data + ": " + e.getMessage());
    }
    Envelope event;
    try {
      event = new Envelope(EventIds.random(), type, publication.version(), owner.source(), Instant.now(),
          correlationId != null ? correlationId : EventIds.random(), causationId, payload);
    } catch (RuntimeException e) {
      throw new OpsException(Fanout.REFUSED, "not a valid event: " + e.getMessage());
    }
    EventSchemas schemas = new EventSchemas(target.catalog());
    if (dryRun) {
      try {
        schemas.validate(event);
      } catch (RuntimeException e) {
        throw new OpsException(Fanout.REFUSED, type + " v" + publication.version() + " is invalid: " + e.getMessage());
      }
      out.println(EventJson.writeEnvelope(event));
      return 0;
    }
    try (EventBridgeClient events = target.eventBridge()) {
      EventPublisher publisher = EventPublisher.builder().client(events).eventBusName(target.eventBusName()).schemas(schemas).build();
      PublishResult result;
      try {
        result = publisher.publish(event);
      } catch (EventRejectedException e) {
        throw new OpsException(Fanout.REFUSED, type + " v" + publication.version() + " rejected, nothing sent: "
            + String.join("; ", e.reasons()));
      }
      if (!result.allPublished()) {
        FailedEntry f = result.failed().getFirst();
        throw new OpsException(Fanout.FAILED, "PutEvents failed for " + type + " after " + f.attempts() + " attempt(s): "
            + f.errorCode() + " " + f.errorMessage());
      }
    }
    out.printf("published %s v%d to %s: id=%s correlation=%s source=%s%n", type, publication.version(),
        target.eventBusName(), event.id(), event.correlationId(), event.source());
    return 0;
  }
}
