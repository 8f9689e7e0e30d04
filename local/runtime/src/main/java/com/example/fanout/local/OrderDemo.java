package com.example.fanout.local;

import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.KeepAliveConnections;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * {@code --demo}: places one order (the OrderPlaced manifest sample with fresh ids) through the
 * local EventBridge endpoint with the unchanged SDK, waits until its path goes quiet and prints its
 * timeline.
 */
final class OrderDemo {
  private static final String TYPE = "OrderPlaced";

  private OrderDemo() {}

  static void run(LocalPlatform platform, PrintStream out) throws InterruptedException {
    Optional<Path> sample = platform.catalog().publisherOf(TYPE)
        .map(m -> m.directory().resolve("schemas/samples/" + TYPE + ".v1/valid-basic.json"))
        .filter(Files::isRegularFile);
    if (sample.isEmpty()) {
      out.println("demo: no " + TYPE + " sample in the catalog; nothing placed");
      return;
    }
    String orderId = "ord_demo" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    ObjectNode envelope = (ObjectNode) EventJson.parse(read(sample.get()));
    envelope.put("id", "evt_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    envelope.put("occurredAt", Instant.now().toString());
    envelope.put("correlationId", orderId);
    ((ObjectNode) envelope.get("data")).put("orderId", orderId);
    Endpoints endpoints = platform.endpoints();
    try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(endpoints.eventBridge())
        .region(AwsClients.REGION).credentialsProvider(AwsClients.CREDENTIALS).httpClient(KeepAliveConnections.httpClient()).build()) {
      PutEventsResponse response = events.putEvents(b -> b.entries(e -> e.eventBusName(endpoints.eventBusName())
          .source(envelope.get("source").asText()).detailType(TYPE).detail(EventJson.write(envelope))));
      out.println("demo: placed order " + orderId + " (" + response.entries().getFirst() + ")");
    }
    int last = -1;
    long quietSince = System.nanoTime();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && System.nanoTime() - quietSince < 4_000_000_000L) {
      Thread.sleep(250);
      int now = platform.timeline().spans(orderId).size();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
    platform.timeline().print(orderId, out);
    out.println("demo: again at any time with GET " + endpoints.control() + "/_local/timeline/" + orderId);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
