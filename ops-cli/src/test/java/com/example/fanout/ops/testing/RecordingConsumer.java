package com.example.fanout.ops.testing;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.runtime.FunctionEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A consumer on the platform's consumer runtime (unwrap, validate, poison to the DLQ with the
 * {@code fanout-*} attributes) that records the event ids it processed, and fails every event
 * transiently while its name is in {@link #BROKEN} (a downstream outage, until the "fix").
 */
public final class RecordingConsumer extends EventConsumer {
  public static final Path SERVICES = Path.of("src/test/resources/services");
  public static final Set<String> BROKEN = ConcurrentHashMap.newKeySet();
  private static final Map<String, Queue<String>> PROCESSED = new ConcurrentHashMap<>();

  public RecordingConsumer() {
    this(FunctionEnvironment.require("FANOUT_SERVICE") + "-" + FunctionEnvironment.require("FANOUT_FUNCTION"), runtimeFromEnvironment());
  }

  private RecordingConsumer(String consumer, ConsumerRuntime runtime) {
    super(runtime, handlers -> handlers.on("OrderPlaced", JsonNode.class, (event, data, ctx) -> {
      if (BROKEN.contains(consumer)) {
        throw new IllegalStateException("downstream unavailable (scenario)");
      }
      processed(consumer).add(event.id());
    }));
  }

  /** Event ids {@code <service>-<consumer>} processed, in order. */
  public static List<String> processedBy(String consumer) {
    return List.copyOf(processed(consumer));
  }

  private static Queue<String> processed(String consumer) {
    return PROCESSED.computeIfAbsent(consumer, k -> new ConcurrentLinkedQueue<>());
  }

  private static ConsumerRuntime runtimeFromEnvironment() {
    SdkHttpClient http = UrlConnectionHttpClient.create();
    return ConsumerRuntime.builder()
        .service(FunctionEnvironment.require("FANOUT_SERVICE"))
        .consumer(FunctionEnvironment.require("FANOUT_FUNCTION"))
        .catalog(Catalog.load(SERVICES))
        .sqs(SqsClient.builder().httpClient(http).build())
        .deadLetterQueueUrl(FunctionEnvironment.require("DLQ_URL"))
        .eventBridge(EventBridgeClient.builder().httpClient(http).build(), FunctionEnvironment.require("EVENT_BUS_NAME"))
        .build();
  }
}
