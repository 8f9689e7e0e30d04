package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.lambda.FunctionFailures;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveViewTest {
  @Test
  void render_shouldShowEveryFailedFunctionWithItsLatestFailure_besideTheConsumers() {
    FunctionFailures failures = new FunctionFailures();
    failures.record("local-orders-outbox-relay", FunctionFailures.Kind.TIMEOUT, "Task timed out after 30 seconds");
    failures.record("local-inventory-reserve-stock", FunctionFailures.Kind.CRASH, "fault injected");
    List<ConsumerStatus> rows = List.of(new ConsumerStatus("inventory-reserve-stock", "q", true, 3, 1, 0, 7, 5, 4, 1, 0, 1, 5));

    String view = LiveView.render(rows, failures.summaries());

    assertThat(view).contains("inventory-reserve-stock").contains("function failures");
    assertThat(view.lines().filter(l -> l.startsWith("inventory-reserve-stock")).findFirst()).get().asString()
        .as("visible, in flight, DLQ, waiting for SNS's retry, then the poller's counters").matches("inventory-reserve-stock +3 +1 +0 +7 +5 +4 +1 +0 +1/5");
    assertThat(view.lines().filter(l -> l.startsWith("local-orders-outbox-relay")).findFirst()).get().asString()
        .contains("TIMEOUT").contains("Task timed out after 30 seconds");
    assertThat(view.lines().filter(l -> l.startsWith("local-inventory-reserve-stock")).findFirst()).get().asString()
        .contains("CRASH");
  }

  @Test
  void render_shouldLeaveTheFailuresOut_whenNoFunctionFailed() {
    assertThat(LiveView.render(List.of(), List.of())).doesNotContain("function failures");
  }
}
