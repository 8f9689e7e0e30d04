package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.example.fanout.event.EventIds;
import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.FunctionRuntime;
import com.example.fanout.runtime.InvocationOutcome;
import com.example.orders.aws.PublisherEventSink;
import com.example.orders.domain.OrderIds;
import com.example.orders.domain.outbox.OutboxChange;
import com.example.orders.domain.outbox.OutboxRelay;
import com.example.orders.dynamodb.DynamoDbOrderStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox relay on the orders table's stream (NEW_AND_OLD_IMAGES, ReportBatchItemFailures):
 * publishes the events each write added to an item's {@code outbox} and reports, by sequence number,
 * the first record whose events did not all go out together with every later one, so the stream
 * retries from there. Published entries are then removed from the item (a MODIFY that publishes nothing).
 */
public final class OutboxRelayHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayHandler.class);
  /** Batches of ten stream records SnapStart priming runs through the relay ({@link #primeBatches}). */
  static final int PRIMING_BATCHES = 20;

  private final OutboxRelay relay;
  private final FunctionRuntime runtime;

  /** Lambda: {@code EVENT_BUS_NAME} and {@code TABLE_ORDERS} from the function's environment. */
  public OutboxRelayHandler() {
    this(FunctionRuntime.fromEnvironment());
  }

  private OutboxRelayHandler(FunctionRuntime runtime) {
    this(runtime, new OutboxRelay(new PublisherEventSink(runtime.publisher()),
        new DynamoDbOrderStore(runtime.clients().dynamoDb(), FunctionEnvironment.table("orders"))));
    // Every call it makes goes to the bus and the orders table through the runtime's clients.
    runtime.primeInvocations(this::primeBatches);
  }

  /** Tests: a relay over fake ports. */
  public OutboxRelayHandler(OutboxRelay relay) {
    this(FunctionRuntime.fromEnvironment(), relay);
  }

  private OutboxRelayHandler(FunctionRuntime runtime, OutboxRelay relay) {
    this.runtime = runtime;
    this.relay = Objects.requireNonNull(relay, "relay");
  }

  /**
   * SnapStart's invoke priming (ADR 0120): {@value #PRIMING_BATCHES} batches of ten INSERT records,
   * each a new order whose outbox holds the catalog's OrderPlaced sample with an event id of its own,
   * through the whole handler: read, published, cleared. Returns the records reported failed.
   */
  int primeBatches(IntFunction<Context> contexts) {
    ObjectNode sample = (ObjectNode) EventJson.parse(runtime.schemas().catalog().requireSample("OrderPlaced"));
    int failed = 0;
    for (int b = 0; b < PRIMING_BATCHES; b++) {
      List<DynamodbStreamRecord> records = new ArrayList<>();
      for (int r = 0; r < 10; r++) {
        String orderId = OrderIds.random();
        String eventId = EventIds.random();
        ObjectNode placed = sample.deepCopy().put("id", eventId).put("correlationId", orderId);
        ((ObjectNode) placed.path("data")).put("orderId", orderId);
        Map<String, AttributeValue> image = Map.of("pk", new AttributeValue().withS(orderId),
            "outbox", new AttributeValue().withM(Map.of(eventId, new AttributeValue().withS(EventJson.write(placed)))));
        StreamRecord stream = new StreamRecord();
        stream.setSequenceNumber(Integer.toString(b * 10 + r));
        stream.setKeys(Map.of("pk", new AttributeValue().withS(orderId)));
        stream.setNewImage(image);
        DynamodbStreamRecord record = new DynamodbStreamRecord();
        record.setEventName("INSERT");
        record.setDynamodb(stream);
        records.add(record);
      }
      DynamodbEvent event = new DynamodbEvent();
      event.setRecords(records);
      failed += handleRequest(event, contexts.apply(b)).getBatchItemFailures().size();
    }
    return failed;
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    int records = event == null || event.getRecords() == null ? 0 : event.getRecords().size();
    return runtime.invoke(context, "stream", correlationId(event), () -> handle(event),
        response -> InvocationOutcome.ofBatch(records, response.getBatchItemFailures().size()));
  }

  private StreamsEventResponse handle(DynamodbEvent event) {
    List<DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
    List<OutboxChange> changes = new ArrayList<>();
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      DynamodbStreamRecord record = records.get(i);
      try {
        changes.add(change(record));
      } catch (RuntimeException e) {
        // An unreadable record: relay what came before it, retry from it.
        LOG.error("stream record {} cannot be read: {}", sequenceNumber(record), e.toString(), e);
        records.subList(i, records.size()).forEach(r -> failures.add(new StreamsEventResponse.BatchItemFailure(sequenceNumber(r))));
        break;
      }
    }
    List<String> failed = relay.relay(changes);
    List<StreamsEventResponse.BatchItemFailure> all = new ArrayList<>();
    failed.forEach(s -> all.add(new StreamsEventResponse.BatchItemFailure(s)));
    all.addAll(failures);
    return new StreamsEventResponse(all);
  }

  static OutboxChange change(DynamodbStreamRecord record) {
    var stream = record.getDynamodb();
    Map<String, AttributeValue> keys = stream.getKeys();
    String key = keys != null && keys.get("pk") != null ? keys.get("pk").getS() : null;
    Map<String, AttributeValue> newImage = stream.getNewImage();
    AttributeValue trace = newImage == null ? null : newImage.get(DynamoDbOrderStore.OUTBOX_TRACE);
    return new OutboxChange(stream.getSequenceNumber(), record.getEventName(), key,
        outbox(stream.getOldImage()), outbox(newImage), trace == null ? null : trace.getS());
  }

  private static Map<String, String> outbox(Map<String, AttributeValue> image) {
    Map<String, String> entries = new LinkedHashMap<>();
    if (image == null || image.get("outbox") == null || image.get("outbox").getM() == null) {
      return entries;
    }
    image.get("outbox").getM().forEach((id, value) -> entries.put(id, value.getS()));
    return entries;
  }

  /** The keys (order ids, the orders' correlation ids) of the items the batch changed. */
  static String correlationId(DynamodbEvent event) {
    if (event == null || event.getRecords() == null) {
      return null;
    }
    return event.getRecords().stream()
        .map(r -> r.getDynamodb() == null || r.getDynamodb().getKeys() == null ? null : r.getDynamodb().getKeys().get("pk"))
        .filter(Objects::nonNull).map(AttributeValue::getS).filter(Objects::nonNull)
        .distinct().limit(10).collect(java.util.stream.Collectors.joining(","));
  }

  private static String sequenceNumber(DynamodbStreamRecord record) {
    return record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
  }
}
