package com.example.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

  @Test
  void of_shouldIgnoreKeyOrderAndWhitespace_whenTheContentIsTheSame() {
    String a = RequestFingerprint.of(EventJson.parse("{\"a\":1,\"b\":{\"x\":[1,2],\"y\":\"z\"}}"));
    String b = RequestFingerprint.of(EventJson.parse("{ \"b\": {\"y\":\"z\", \"x\":[1, 2]},\n \"a\": 1 }"));

    assertThat(a).isEqualTo(b).startsWith("sha256:");
  }

  @Test
  void of_shouldDiffer_whenAValueOrTheArrayOrderDiffers() {
    String a = RequestFingerprint.of(EventJson.parse("{\"a\":[1,2]}"));

    assertThat(RequestFingerprint.of(EventJson.parse("{\"a\":[2,1]}"))).isNotEqualTo(a);
    assertThat(RequestFingerprint.of(EventJson.parse("{\"a\":[1,3]}"))).isNotEqualTo(a);
  }
}
