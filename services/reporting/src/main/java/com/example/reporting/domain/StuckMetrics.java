package com.example.reporting.domain;

/** The watchdog's CloudWatch metric: how many orders it flagged in one run. */
public interface StuckMetrics {
  void sagasStuck(int count);

  static StuckMetrics none() {
    return count -> { };
  }
}
