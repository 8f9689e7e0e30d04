package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class DeadLetterTest {
  private static final String ENVELOPE = """
      {"id":"evt_1","type":"OrderPlaced","version":1,"source":"com.example.orders","occurredAt":"2026-11-26T10:00:00Z",\
      "correlationId":"ord_1","causationId":null,"data":{"orderId":"ord_1"}}""";
  private static final String EVENT = """
      {"version":"0","id":"e-1","detail-type":"OrderPlaced","source":"com.example.orders","detail":%s}""".formatted(ENVELOPE);

  @Test
  void of_shouldFindTheEnvelope_whenTheBodyIsAnSnsNotificationOfAnEventBridgeEvent() {
    String sns = "{\"Type\":\"Notification\",\"MessageId\":\"m\",\"Message\":" + quote(EVENT) + "}";
    DeadLetter d = DeadLetter.of(message(sns, Map.of()));
    assertThat(d.eventId()).isEqualTo("evt_1");
    assertThat(d.eventType()).isEqualTo("OrderPlaced");
    assertThat(d.correlationId()).isEqualTo("ord_1");
    assertThat(d.bodyIsJson()).isTrue();
  }

  @Test
  void of_shouldFindTheEnvelope_whenTheBodyIsTheRawEventBridgeEvent() {
    DeadLetter d = DeadLetter.of(message(EVENT, Map.of()));
    assertThat(d.correlationId()).isEqualTo("ord_1");
  }

  @Test
  void of_shouldStillFindTheIds_whenAPoisonBodyIsTruncatedJson() {
    String sns = "{\"Type\":\"Notification\",\"MessageId\":\"m\",\"Message\":" + quote(EVENT) + "}";
    String truncated = sns.substring(0, sns.length() - 40);
    DeadLetter d = DeadLetter.of(message(truncated, Map.of(
        DeadLetter.CLASS, "invalid-envelope", DeadLetter.REASON, "invalid envelope: not JSON", DeadLetter.CONSUMER, "inventory.reserve-stock")));
    assertThat(d.bodyIsJson()).isFalse();
    assertThat(d.correlationId()).isEqualTo("ord_1");
    assertThat(d.eventType()).isEqualTo("OrderPlaced");
    assertThat(d.failureClass()).isEqualTo("invalid-envelope");
    assertThat(d.failureReason()).contains("not JSON");
    assertThat(d.consumer()).isEqualTo("inventory.reserve-stock");
    assertThat(d.otherAttributes()).isEmpty();
  }

  @Test
  void of_shouldKeepOtherServicesAttributes_whenEventBridgeParkedTheEvent() {
    DeadLetter d = DeadLetter.of(message(EVENT, Map.of("ERROR_CODE", "SDK_CLIENT_ERROR", "ERROR_MESSAGE", "denied")));
    assertThat(d.otherAttributes()).containsEntry("ERROR_CODE", "SDK_CLIENT_ERROR").containsEntry("ERROR_MESSAGE", "denied");
    assertThat(d.failureClass()).isNull();
  }

  @Test
  void of_shouldLeaveTheEventFieldsEmpty_whenTheBodyIsALambdaDestinationRecord() {
    DeadLetter d = DeadLetter.of(message("{\"requestContext\":{\"condition\":\"RetriesExhausted\"},\"requestPayload\":{}}", Map.of()));
    assertThat(d.eventId()).isNull();
    assertThat(d.correlationId()).isNull();
    assertThat(d.bodyIsJson()).isTrue();
  }

  private static Message message(String body, Map<String, String> attributes) {
    Map<String, MessageAttributeValue> attrs = new java.util.HashMap<>();
    attributes.forEach((k, v) -> attrs.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
    return Message.builder().messageId("m-1").body(body).messageAttributes(attrs)
        .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "3",
            MessageSystemAttributeName.SENT_TIMESTAMP, "1764151200000"))
        .build();
  }

  private static String quote(String json) {
    return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
