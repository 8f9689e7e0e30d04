package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.tracing.Tracer;
import org.junit.jupiter.api.Test;

class SdkPrimingTest {
  @Test
  void run_shouldAnswerEveryDryCallInProcess_whenNoAwsIsReachable() {
    // Four calls a round (claim, read, completion, PutEvents), each marshalled, signed and unmarshalled by
    // the SDK; a call the in-process answer cannot satisfy would stop the count short.
    assertThat(SdkPriming.run(3, Tracer.none())).isEqualTo(12);
  }

  @Test
  void run_shouldAnswerNothing_whenNoRoundIsAsked() {
    assertThat(SdkPriming.run(0, Tracer.none())).isZero();
  }
}
