package com.example.fanout.benchmarks;

import com.example.fanout.event.EventJson;
import com.example.fanout.testing.Messages;

/** The reference OrderPlaced sample, as the benchmarks feed it. */
final class Samples {
  private Samples() {}

  static String orderPlacedDetail() {
    return EventJson.writeEnvelope(Messages.orderPlaced());
  }
}
