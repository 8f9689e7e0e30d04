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
  void prime_shouldKeepConnectionsAliveAndCloseTheLastKeptOne_whenItEnds() {
    // 12 dry calls at 5 a connection: two connections closed by their fifth answer, a third kept alive
    // after two, which the closing request takes and closes. Without it that one would stay open, in the
    // JDK's keep-alive cache, into the snapshot.
    SdkPriming.Outcome outcome = SdkPriming.prime(3, Tracer.none(), 5);

    assertThat(outcome.answered()).isEqualTo(12);
    assertThat(outcome.connections()).isEqualTo(3);
    assertThat(outcome.leftOpen()).isZero();
  }

  @Test
  void prime_shouldLeaveNoConnectionOpen_whenTheLastCallClosedItsOwn() {
    // 12 calls at 4 a connection: the twelfth answer closes the third connection; the closing request opens a fourth.
    SdkPriming.Outcome outcome = SdkPriming.prime(3, Tracer.none(), SdkPriming.REQUESTS_PER_CONNECTION);

    assertThat(outcome).isEqualTo(new SdkPriming.Outcome(12, 4, 0));
  }

  @Test
  void run_shouldAnswerNothing_whenNoRoundIsAsked() {
    assertThat(SdkPriming.run(0, Tracer.none())).isZero();
  }
}
