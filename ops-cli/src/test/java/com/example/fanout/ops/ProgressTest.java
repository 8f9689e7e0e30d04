package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void line_shouldShowBarRateAndEta_onATerminal() {
    assertThat(Progress.line("moved", 40, 100, Duration.ofSeconds(4), true))
        .isEqualTo("moved [#########...............] 40/100  10.0/s  ETA 6 s");
    assertThat(Progress.line("moved", 100, 100, Duration.ofSeconds(8), false)).isEqualTo("moved 100/100  12.5/s  done in 8.0 s");
    assertThat(Progress.line("moved", 0, 100, Duration.ofSeconds(1), false)).isEqualTo("moved 0/100  0.0/s  ETA -");
  }

  @Test
  void plainLines_shouldComeAtMostEveryFewSeconds_andOnceAtTheEnd_whenNotOnATerminal() {
    AtomicLong now = new AtomicLong();
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text, true), "moved", 30, false, now::get);

    progress.update(5);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    progress.update(10);
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    progress.update(20);
    progress.finish(30);

    assertThat(text.toString().lines()).containsExactly(
        "moved 5/30  5000.0/s  ETA 1 s",
        "moved 20/30  3.3/s  ETA 3 s",
        "moved 30/30  5.0/s  done in 6.0 s");
    assertThat(text.toString()).doesNotContain("\r").doesNotContain("[");
  }
}
