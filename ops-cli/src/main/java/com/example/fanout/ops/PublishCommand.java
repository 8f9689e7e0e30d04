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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Publishes one event, or a batch (a JSON array of data objects), through the shared-lib
 * {@link EventPublisher}: the manifest of the service that owns the type gives source and version,
 * every event is checked against the schema before anything is sent.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publish (e.g. compensating) events, schema-checked, to the bus <env>-fanout.", "",
        "Through the shared-lib EventPublisher: source and version from the owning service's manifest,",
        "validated against its JSON Schema before anything is sent. --data holds one data object, or an",
        "array of them: one event each, published in calls of " + PublishCommand.CHUNK + " with progress."})
final class PublishCommand implements Callable<Integer> {
  /** PutEvents takes at most 10 entries; progress is reported per call. */
  static final int CHUNK = 10;

  @Mixin
  Target target;

  @Mixin
  Output output;

  @Parameters(paramLabel = "<type>", description = "event type (detail-type), e.g. PaymentFailed")
  String type;

  @Option(names = "--data", required = true, paramLabel = "FILE",
      description = "JSON file with the event's data object, or an array of them for a batch ('-' for stdin)")
  String data;

  @Option(names = "--correlation-id", description = "the order's correlation id (default: a new one per event)")
  String correlationId;

  @Option(names = "--causation-id", description = "id of the event this one answers, if any")
  String causationId;

  @Option(names = "--dry-run", description = "validate and print the events; send nothing")
  boolean dryRun;

  @Spec
  CommandSpec spec;

  /**
   * {@code publish -o json}: each event built (status {@code published}, {@code failed} or, with
   * {@code --dry-run}, {@code validated}), how many were published, and the failures with EventBridge's reason.
   */
  record Published(String bus, boolean dryRun, int published, List<Sent> events, List<Output.Failure> failures) {}

  record Sent(String id, String type, int version, String correlationId, String source, String status) {}

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
    List<JsonNode> payloads = new ArrayList<>();
    if (payload.isArray()) {
      payload.forEach(payloads::add);
    } else {
      payloads.add(payload);
    }
    if (payloads.isEmpty()) {
      throw new OpsException(Fanout.REFUSED, data + " holds an empty array: no " + type + " to publish");
    }
    EventSchemas schemas = new EventSchemas(target.catalog());
    List<Envelope> batch = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < payloads.size(); i++) {
      String at = payloads.size() == 1 ? "" : "[" + i + "] ";
      try {
        Envelope event = new Envelope(EventIds.random(), type, publication.version(), owner.source(), now,
            correlationId != null ? correlationId : EventIds.random(), causationId, payloads.get(i));
        schemas.validate(event);
        batch.add(event);
      } catch (RuntimeException e) {
        invalid.add(at + e.getMessage());
      }
    }
    if (!invalid.isEmpty()) {
      throw new OpsException(Fanout.REFUSED, type + " v" + publication.version() + " is invalid, nothing sent: "
          + String.join("; ", invalid));
    }
    if (dryRun) {
      if (output.json()) {
        output.printJson(out, new Published(target.eventBusName(), true, 0,
            batch.stream().map(e -> sent(e, "validated")).toList(), List.of()));
      } else {
        batch.forEach(e -> out.println(EventJson.writeEnvelope(e)));
      }
      return 0;
    }
    Set<String> published = new HashSet<>();
    List<Output.Failure> failures = new ArrayList<>();
    try (EventBridgeClient events = target.eventBridge()) {
      EventPublisher publisher = EventPublisher.builder().client(events).eventBusName(target.eventBusName()).schemas(schemas).build();
      Progress progress = batch.size() > 1 ? Progress.of(output.notes(spec), "published", batch.size()) : null;
      for (int from = 0; from < batch.size(); from += CHUNK) {
        PublishResult result;
        try {
          result = publisher.publish(batch.subList(from, Math.min(batch.size(), from + CHUNK)));
        } catch (EventRejectedException e) {
          throw new OpsException(Fanout.REFUSED, type + " v" + publication.version() + " rejected: "
              + String.join("; ", e.reasons()) + (published.isEmpty() ? ", nothing sent" : ", " + published.size() + " already published"));
        }
        published.addAll(result.publishedIds());
        for (FailedEntry f : result.failed()) {
          failures.add(new Output.Failure(f.event().id(), "PutEvents failed after " + f.attempts() + " attempt(s): "
              + f.errorCode() + " " + f.errorMessage()));
        }
        if (progress != null) {
          progress.update(published.size() + failures.size());
        }
      }
      if (progress != null) {
        progress.finish(published.size() + failures.size());
      }
    }
    if (output.json()) {
      output.printJson(out, new Published(target.eventBusName(), false, published.size(),
          batch.stream().map(e -> sent(e, published.contains(e.id()) ? "published" : "failed")).toList(), failures));
    } else {
      for (Envelope e : batch) {
        if (published.contains(e.id()) && batch.size() == 1) {
          out.printf("published %s v%d to %s: id=%s correlation=%s source=%s%n", type, publication.version(),
              target.eventBusName(), e.id(), e.correlationId(), e.source());
        }
      }
      if (batch.size() > 1) {
        out.printf("published %d of %d %s v%d to %s%n", published.size(), batch.size(), type, publication.version(),
            target.eventBusName());
      }
      failures.forEach(f -> out.printf("  %s: %s%n", f.id(), f.reason()));
    }
    if (!failures.isEmpty()) {
      throw new OpsException(Fanout.FAILED, failures.size() + " of " + batch.size() + " " + type + " not published: "
          + failures.getFirst().reason());
    }
    return 0;
  }

  private static Sent sent(Envelope e, String status) {
    return new Sent(e.id(), e.type(), e.version(), e.correlationId(), e.source(), status);
  }
}
