package com.example.fanout.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.example.fanout.event.EventJson;
import com.example.fanout.testing.ConsumerAws;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.OrderPlacedConsumer;
import com.example.fanout.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On a standard queue a batch's follow-up events go out together, and a record whose events do not is not done. */
class BatchFollowUpsTest {
  @RegisterExtension
  static final ConsumerAws aws = ConsumerAws.sqsOnly("dev-inventory-reserve-stock-dlq");

  /** Reserves stock; an order id containing "Huge" emits an event too large for EventBridge. */
  private static OrderPlacedConsumer consumer() {
    return new OrderPlacedConsumer(aws.runtime("inventory", "reserve-stock").build(), (event, order, ctx) -> {
      if (order.orderId().contains("Huge")) {
        Map<String, Object> data = new HashMap<>(OrderPlacedConsumer.reserved(order));
        data.put("padding", "x".repeat(2_000_000));
        ctx.emit("InventoryReserved", data);
      } else {
        OrderPlacedConsumer.reserve(order, ctx);
      }
    });
  }

  private static List<SQSMessage> batch(String... orderIds) {
    List<SQSMessage> records = new ArrayList<>();
    for (String orderId : orderIds) {
      records.add(Messages.record(Messages.eventBridgeEvent(Messages.orderPlaced(orderId, d -> { }))));
    }
    return records;
  }

  private SQSBatchResponse handle(List<SQSMessage> records) {
    return consumer().handleRequest(Messages.batch(records.toArray(SQSMessage[]::new)), new TestLambdaContext("dev-inventory-reserve-stock"));
  }

  private static List<String> failedIds(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
  }

  private static String orderIdOf(JsonNode entry) {
    return EventJson.parse(entry.get("Detail").asText()).path("data").path("orderId").asText();
  }

  @Test
  void handleRequest_shouldPublishTheWholeBatchsEventsInOneCall_inRecordOrder() {
    List<String> orderIds = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      orderIds.add("ord_Batched0000" + i);
    }

    SQSBatchResponse response = handle(batch(orderIds.toArray(String[]::new)));

    assertThat(failedIds(response)).isEmpty();
    assertThat(aws.eventBridge().calls()).singleElement().satisfies(call ->
        assertThat(call).extracting(BatchFollowUpsTest::orderIdOf).containsExactlyElementsOf(orderIds));
  }

  @Test
  void handleRequest_shouldReportOnlyTheRecordWhoseEventEventBridgeFailed_whenOneEntryOfTheCallFails() {
    aws.eventBridge().outcome(entry -> orderIdOf(entry).contains("Refused") ? "AccessDeniedException" : null);
    List<SQSMessage> records = batch("ord_First00001", "ord_Refused0002", "ord_Third00003");

    SQSBatchResponse response = handle(records);

    assertThat(failedIds(response)).containsExactly(records.get(1).getMessageId());
    assertThat(aws.eventBridge().accepted()).extracting(BatchFollowUpsTest::orderIdOf)
        .containsExactly("ord_First00001", "ord_Third00003");
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).isEmpty();
  }

  @Test
  void handleRequest_shouldPublishTheOtherRecordsOnTheirOwn_andDeadLetterTheOneWhoseEventIsRefused_whenTheBatchIsRefused() {
    List<SQSMessage> records = batch("ord_First00001", "ord_Huge000002", "ord_Third00003");

    SQSBatchResponse response = handle(records);

    assertThat(failedIds(response)).isEmpty();
    assertThat(aws.eventBridge().accepted()).extracting(BatchFollowUpsTest::orderIdOf)
        .containsExactly("ord_First00001", "ord_Third00003");
    assertThat(LocalAws.drain(aws.sqs(), aws.dlqUrl())).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo(records.get(1).getBody());
      assertThat(m.messageAttributes().get("fanout-failure-class").stringValue()).isEqualTo("emitted-event-rejected");
      assertThat(m.messageAttributes().get("fanout-failure-reason").stringValue()).contains("InventoryReserved");
    });
  }

  @Test
  void handleRequest_shouldReportEveryRecordWithEventsFailed_whenTheBatchCannotBeSent() {
    aws.eventBridge().failNextCalls(100);
    List<SQSMessage> records = batch("ord_First00001", "ord_Second0002");

    SQSBatchResponse response = handle(records);

    assertThat(failedIds(response)).containsExactly(records.get(0).getMessageId(), records.get(1).getMessageId());
    assertThat(aws.eventBridge().accepted()).isEmpty();
    assertThat(aws.eventBridge().calls()).as("one call for the batch, none per record").hasSize(1);
  }
}
