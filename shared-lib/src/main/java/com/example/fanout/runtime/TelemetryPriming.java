package com.example.fanout.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.example.fanout.contract.MetricNames;
import com.example.fanout.logging.ConsumerLogging;
import com.example.fanout.logging.logback.LambdaJsonEncoder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.lambda.powertools.logging.internal.PowertoolsLoggedFields;

/**
 * SnapStart priming of what every invocation writes besides its AWS calls: a JSON log line in
 * Powertools' layout ({@link LambdaJsonEncoder}, with the Lambda fields, the event's fields and an
 * error) and an EMF document with the platform's metrics. Both are encoded and dropped: nothing
 * reaches stdout, so no log line and no metric comes from a snapshot.
 */
public final class TelemetryPriming {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(TelemetryPriming.class);

  private TelemetryPriming() {}

  /** Encodes a log line and a metrics document {@code rounds} times; returns the bytes encoded. A failure is logged, never thrown. */
  public static long run(int rounds) {
    long bytes = 0;
    try {
      LambdaJsonEncoder encoder = new LambdaJsonEncoder();
      encoder.start();
      LoggingEvent line = sampleLine();
      for (int i = 0; i < rounds; i++) {
        bytes += encoder.encode(line).length;
        bytes += sampleDocument().serialize().stream().mapToLong(String::length).sum();
      }
    } catch (Exception e) {
      LOG.warn("log and metrics priming stopped early: {}", e.toString());
    }
    return bytes;
  }

  private static LoggingEvent sampleLine() {
    Logger logger = (Logger) LoggerFactory.getLogger(TelemetryPriming.class);
    LoggingEvent line = new LoggingEvent(TelemetryPriming.class.getName(), logger, Level.INFO,
        "processed {} {}, emitted {} event(s)", new IllegalStateException("primed"), new Object[] {"Primed", "evt_prime", 1});
    Map<String, String> mdc = new LinkedHashMap<>();
    for (PowertoolsLoggedFields field : PowertoolsLoggedFields.values()) {
      mdc.put(field.getName(), "prime");
    }
    mdc.put(PowertoolsLoggedFields.FUNCTION_COLD_START.getName(), "true");
    mdc.put(PowertoolsLoggedFields.FUNCTION_MEMORY_SIZE.getName(), "512");
    mdc.put(ConsumerLogging.EVENT_ID, "evt_prime");
    mdc.put(ConsumerLogging.EVENT_TYPE, "Primed");
    mdc.put(ConsumerLogging.CONSUMER, "prime.prime");
    line.setMDCPropertyMap(mdc);
    return line;
  }

  private static MetricsContext sampleDocument() throws Exception {
    MetricsContext document = new MetricsContext();
    document.setNamespace(MetricNames.NAMESPACE);
    document.setDefaultDimensions(DimensionSet.of(MetricNames.CONSUMER_DIMENSION, "prime.prime"));
    document.putMetric(MetricNames.EVENTS_PROCESSED, 1, Unit.COUNT);
    document.putMetric(MetricNames.EVENT_AGE_AT_RECEIPT, 12, Unit.MILLISECONDS);
    document.putMetric(MetricNames.HANDLER_LATENCY, 3.5, Unit.MILLISECONDS);
    document.putProperty("trigger", "prime");
    return document;
  }
}
