package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.testing.StdoutCapture;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** SnapStart priming of the log line and the metrics document: encoded every round, written nowhere. */
class TelemetryPrimingTest {

  @Test
  void run_shouldEncodeALineAndADocumentEachRound_andWriteNothing() {
    long one;
    long two;
    try (StdoutCapture stdout = new StdoutCapture()) {
      one = TelemetryPriming.run(1);
      two = TelemetryPriming.run(2);
      assertThat(stdout.jsonLines()).as("no log line and no EMF document from a snapshot").isEmpty();
    }
    assertThat(one).as("bytes of one log line and one metrics document").isGreaterThan(400);
    assertThat(two).isEqualTo(2 * one);
    assertThat(MDC.getCopyOfContextMap()).as("the invocation's MDC is untouched").isNullOrEmpty();
  }
}
