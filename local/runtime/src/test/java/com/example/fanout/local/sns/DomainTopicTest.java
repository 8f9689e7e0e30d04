package com.example.fanout.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.publish.PayloadLimits;
import com.example.fanout.manifest.InvalidFilterPolicyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainTopicTest {
  @TempDir
  Path dir;

  @Test
  void publish_shouldFailLikeSns_whenTheMessageIsOneByteOverTheLimit() {
    try (SpanLog spans = new SpanLog(dir)) {
      DomainTopic topic = new DomainTopic("t-shop-events", null, spans, FaultPlan.none());

      topic.publish(messageOfBytes(PayloadLimits.SNS_MAX_MESSAGE_BYTES), null);
      assertThatThrownBy(() -> topic.publish(messageOfBytes(PayloadLimits.SNS_MAX_MESSAGE_BYTES + 1), null))
          .isInstanceOfSatisfying(SnsPublishException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("InvalidParameter");
            assertThat(e.getMessage()).isEqualTo("Invalid parameter: Message too long");
          });
    }
  }

  @Test
  void publish_shouldDeliverNothingAndNotFail_whenTheMessageIsNotJson() {
    try (SpanLog spans = new SpanLog(dir)) {
      DomainTopic topic = new DomainTopic("t-shop-events", null, spans, FaultPlan.none());
      topic.subscribe(new QueueSubscription("shop-any", null,
          (ObjectNode) EventJson.parse("{\"store\":[{\"exists\":false}]}")));

      assertThat(topic.publishAll(List.of(new DomainTopic.Message("plain text, not JSON", null)))).containsExactly((SnsPublishException) null);
    }
  }

  @Test
  void subscribe_shouldFailWithInvalidParameter_whenSnsWouldRefuseTheFilterPolicy() {
    try (SpanLog spans = new SpanLog(dir)) {
      DomainTopic topic = new DomainTopic("t-shop-events", null, spans, FaultPlan.none());
      ObjectNode tooManyKeys = (ObjectNode) EventJson.parse("{\"a\":[1],\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1],\"f\":[1]}");

      assertThatThrownBy(() -> topic.subscribe(new QueueSubscription("shop-many", null, tooManyKeys)))
          .isInstanceOfSatisfying(InvalidFilterPolicyException.class, e -> assertThat(e.errorCode()).isEqualTo("InvalidParameter"))
          .hasMessage("Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys");
      assertThat(topic.subscriptions()).isEmpty();
    }
  }

  @Test
  void poisoned_shouldNoLongerBeJson_butKeepTheIdsReadable() {
    String message = "{\"detail\":{\"correlationId\":\"ord_1\"}}";
    assertThat(DomainTopic.poisoned(message)).contains("ord_1").isNotEqualTo(message).doesNotEndWith("}}");
  }

  /** A JSON event of exactly {@code bytes} UTF-8 bytes that no subscription matches. */
  private static String messageOfBytes(int bytes) {
    String head = "{\"source\":\"x\",\"pad\":\"";
    String tail = "\"}";
    return head + "a".repeat(bytes - head.length() - tail.length()) + tail;
  }
}
