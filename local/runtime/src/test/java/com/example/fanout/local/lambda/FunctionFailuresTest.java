package com.example.fanout.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FunctionFailuresTest {
  private final FunctionFailures failures = new FunctionFailures();

  private LocalFunction function(String name, RequestHandler<?, ?> handler) {
    LocalFunction fn = TestFunctions.local(name, handler);
    fn.reportFailuresTo(failures);
    return fn;
  }

  @Test
  void invoke_shouldCountATimeout_whenTheHandlerRunsPastTheFunctionTimeout() {
    CountDownLatch never = new CountDownLatch(1);
    try (LocalFunction slow = function("t-orders-outbox-relay", (Object in, com.amazonaws.services.lambda.runtime.Context c) -> {
      try {
        never.await();
      } catch (InterruptedException cancelled) {
        Thread.currentThread().interrupt();
      }
      return null;
    })) {
      assertThatThrownBy(() -> slow.invoke("{}")).isInstanceOf(FunctionTimeoutException.class);
    }

    assertThat(failures.summaries()).singleElement().satisfies(s -> {
      assertThat(s.function()).isEqualTo("t-orders-outbox-relay");
      assertThat(s.timeouts()).isEqualTo(1);
      assertThat(s.last().kind()).isEqualTo(FunctionFailures.Kind.TIMEOUT);
      assertThat(s.last().message()).contains("timed out");
    });
  }

  @Test
  void invoke_shouldCountAnErrorAndRecordedCrashes_perFunction() {
    try (LocalFunction failing = function("t-shop-api", (Object in, com.amazonaws.services.lambda.runtime.Context c) -> {
      throw new IllegalStateException("table unreachable");
    })) {
      assertThatThrownBy(() -> failing.invoke("{}")).hasMessage("table unreachable");
      failing.recordFailure(FunctionFailures.Kind.CRASH, "fault injected");
      failing.recordFailure(FunctionFailures.Kind.CRASH, "fault injected");
    }

    assertThat(failures.summaries()).singleElement().satisfies(s -> {
      assertThat(s.errors()).isEqualTo(1);
      assertThat(s.crashes()).isEqualTo(2);
      assertThat(s.total()).isEqualTo(3);
    });
    assertThat(failures.total()).isEqualTo(3);
  }
}
