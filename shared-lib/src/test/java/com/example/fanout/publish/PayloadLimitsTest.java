package com.example.fanout.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

class PayloadLimitsTest {
  private final PayloadLimits limits = PayloadLimits.fanOutChain();

  @Test
  void entryBytes_shouldCountAsAwsDocuments_whenEveryFieldIsSet() {
    PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
        .time(Instant.EPOCH).source("com.example.orders").detailType("OrderPlaced")
        .detail("{\"é\":1}").resources(List.of("arn:a", "arn:bb")).build();

    // 14 (time) + 18 (source) + 11 (detail-type) + 8 (detail, é is 2 bytes) + 5 + 6 (resources)
    assertThat(PayloadLimits.entryBytes(entry)).isEqualTo(14 + 18 + 11 + 8 + 5 + 6);
  }

  @Test
  void rejection_shouldAcceptTheExactLimit_andRefuseOneByteOver() {
    int overhead = PayloadLimits.deliveredEventBytes(entryWithDetailOf(10)) - 10;
    int room = PayloadLimits.SNS_MAX_MESSAGE_BYTES - overhead;

    PutEventsRequestEntry atLimit = entryWithDetailOf(room);
    PutEventsRequestEntry overLimit = entryWithDetailOf(room + 1);

    assertThat(PayloadLimits.deliveredEventBytes(atLimit)).isEqualTo(PayloadLimits.SNS_MAX_MESSAGE_BYTES);
    assertThat(limits.rejection(atLimit)).isNull();
    assertThat(limits.rejection(overLimit)).contains("262145 bytes").contains("tightest hop (SNS) takes at most 262144");
  }

  @Test
  void deliveredEventBytes_shouldBoundTheRealEventBridgeEvent_whenRendered() {
    PutEventsRequestEntry entry = entryWithDetailOf(100);
    String event = "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\",\"detail-type\":\"OrderPlaced\","
        + "\"source\":\"com.example.orders\",\"account\":\"111122223333\",\"time\":\"2026-11-26T10:00:00Z\","
        + "\"region\":\"ap-southeast-2\",\"resources\":[],\"detail\":" + entry.detail() + "}";

    assertThat(PayloadLimits.deliveredEventBytes(entry)).isBetween(event.length(), event.length() + 4);
  }

  @Test
  void rejection_shouldRefuseAnEntryOverThePutEventsLimit_whenTheChainHasNoSnsHop() {
    PayloadLimits eventBridgeToSqs = new PayloadLimits(10, PayloadLimits.PUT_EVENTS_MAX_BYTES, PayloadLimits.SQS_MAX_MESSAGE_BYTES);

    assertThat(eventBridgeToSqs.rejection(entryWithDetailOf(PayloadLimits.PUT_EVENTS_MAX_BYTES))).contains("PutEvents takes at most 1048576");
  }

  /** An entry whose detail is valid JSON of exactly {@code bytes} bytes (at least 10). */
  static PutEventsRequestEntry entryWithDetailOf(int bytes) {
    String detail = "{\"pad\":\"" + "x".repeat(bytes - 10) + "\"}";
    assertThat(detail).hasSize(bytes);
    return PutEventsRequestEntry.builder().time(Instant.EPOCH).source("com.example.orders").detailType("OrderPlaced").detail(detail).build();
  }
}
