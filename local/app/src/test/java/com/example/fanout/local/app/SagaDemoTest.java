package com.example.fanout.local.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What {@code make run} shows: every demo order ends as its scenario says, with its e-mail, and the summary says so. */
@ExtendWith(SagaPlatform.Lifecycle.class)
class SagaDemoTest {
  @Test
  void demo_shouldEndEveryScenarioAsExpected_andPrintTheSummaryAndCurlExamples() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    List<SagaDemo.Tracked> orders = new SagaDemo(SagaPlatform.get(), out).run();

    assertThat(orders).hasSize(DemoScenario.mix().size());
    assertThat(orders).allSatisfy(t -> {
      assertThat(t.status).as(t.scenario.name()).isEqualTo(t.scenario.expectedStatus());
      assertThat(t.notified).as(t.scenario.name() + " e-mail").isTrue();
    });
    String text = buffer.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("reached an end state", "final status", "curl -s ", "/_local/timeline/" + orders.getFirst().orderId)
        .doesNotContain(" NO ")
        .containsPattern("all " + orders.size() + " orders reached an end state \\d+\\.\\d s after the first was placed");
  }
}
