package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo of {@code make run} and Ctrl-C: a demo cut short by the stop ends quietly; any other failure shows. */
class MainDemoTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream console = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void runDemo_shouldEndTheDemoQuietly_whenItsCallFailsBecauseThePlatformIsStopping() throws Exception {
    boolean ended = Main.runDemo(() -> {
      throw new UncheckedIOException("GET /orders/ord_1 failed", new ConnectException());
    }, () -> true, console);

    assertThat(ended).as("the demo did not end on its own").isFalse();
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("demo ended by the stop" + System.lineSeparator());
  }

  @Test
  void runDemo_shouldThrowTheDemosFailure_whenThePlatformIsNotStopping() {
    assertThatThrownBy(() -> Main.runDemo(() -> {
      throw new IllegalStateException("POST /orders answered 500");
    }, () -> false, console)).isInstanceOf(IllegalStateException.class).hasMessage("POST /orders answered 500");
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void runDemo_shouldAnswerTrue_whenTheDemoEnds() throws Exception {
    assertThat(Main.runDemo(() -> {}, () -> false, console)).isTrue();
  }
}
