package com.example.fanout.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.local.FaultPlan;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.publish.PayloadLimits;
import java.nio.file.Path;
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
