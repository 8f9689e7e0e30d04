package com.example.fanout.tracing.otel;

import io.opentelemetry.sdk.trace.IdGenerator;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace ids X-Ray accepts: the first 8 hex digits are the epoch second the trace began (X-Ray drops
 * traces whose id is older than 30 days), the other 24 random.
 */
final class XRayIdGenerator implements IdGenerator {
  private final Clock clock;

  XRayIdGenerator(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String generateSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return HexFormat.of().toHexDigits(id);
  }

  @Override
  public String generateTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return HexFormat.of().toHexDigits((int) clock.instant().getEpochSecond())
        + HexFormat.of().toHexDigits(random.nextInt()) + HexFormat.of().toHexDigits(random.nextLong() | 1L);
  }
}
