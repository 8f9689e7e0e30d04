package com.example.fanout.logging.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.example.fanout.event.Envelope;
import com.example.fanout.logging.ConsumerLogging;
import com.example.fanout.testing.Messages;
import com.example.fanout.testing.StdoutCapture;
import com.example.fanout.testing.TestLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;
import software.amazon.lambda.powertools.logging.internal.LoggingManager;
import software.amazon.lambda.powertools.logging.internal.LoggingManagerRegistry;

/**
 * The functions' log lines against Powertools' own layout: every key of {@code LambdaJsonLayout.json}
 * in {@code powertools-logging-log4j} (the same Powertools version, read from its jar) is written by
 * our Logback encoder with the same name and JSON type, and Powertools' sampling leaves every level
 * as the configuration set it (ADR 0102).
 */
class LambdaJsonLayoutTest {
  private static final Logger LOG = LoggerFactory.getLogger(LambdaJsonLayoutTest.class);
  private static final String TRACE_KEY = "AWS_LAMBDA_X_TRACE_ID";
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void forgetTheTrace() {
    SdkInternalThreadLocal.remove(TRACE_KEY);
  }

  @Test
  void errorLine_shouldCarryEveryKeyOfPowertoolsLayout_withItsJsonType() throws Exception {
    JsonNode template = powertoolsTemplate();
    Envelope event = Messages.orderPlaced("ord_Layout000001", d -> { });
    SdkInternalThreadLocal.put(TRACE_KEY, "Root=1-67a0f1c2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1");

    JsonNode line = errorLine(() -> ConsumerLogging.withInvocation(new TestLambdaContext("dev-inventory-reserve-stock"),
        "inventory", 1.0, () -> ConsumerLogging.withEvent("reserve-stock", event, () -> {
          LOG.error("reservation failed", new IllegalStateException("stock table \"gone\""));
          return null;
        })));

    Set<String> expected = new TreeSet<>();
    template.fieldNames().forEachRemaining(expected::add);
    expected.remove(""); // Powertools' catch-all: every other MDC entry, checked below
    assertThat(fieldNames(line)).containsAll(expected);
    assertThat(fieldNames(line.path("error"))).containsExactlyInAnyOrderElementsOf(fieldNames(template.path("error")));
    assertThat(fieldNames(line)).containsAll(List.of(ConsumerLogging.EVENT_ID, ConsumerLogging.EVENT_TYPE, ConsumerLogging.CONSUMER));

    assertThat(line.path("level").asText()).isEqualTo("ERROR");
    assertThat(line.path("message").asText()).isEqualTo("reservation failed");
    assertThat(line.path("error").path("message").asText()).isEqualTo("stock table \"gone\"");
    assertThat(line.path("error").path("name").asText()).isEqualTo(IllegalStateException.class.getName());
    assertThat(line.path("error").path("stack").asText()).contains("at " + LambdaJsonLayoutTest.class.getName());
    assertThat(line.path("cold_start").isBoolean()).isTrue();
    assertThat(line.path("function_memory_size").isInt()).isTrue();
    assertThat(line.path("sampling_rate").isNumber()).isTrue();
    assertThat(line.path("function_name").asText()).isEqualTo("dev-inventory-reserve-stock");
    assertThat(line.path("service").asText()).isEqualTo("inventory");
    assertThat(line.path("xray_trace_id").asText()).isEqualTo("1-67a0f1c2-0123456789abcdef01234567");
    assertThat(line.path("correlation_id").asText()).isEqualTo(event.correlationId());
    assertThat(line.path("event_id").asText()).isEqualTo(event.id());
    assertThat(line.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  }

  @Test
  void sampledInvocation_shouldRaiseOnlyUnquietedLoggers_andPutEveryLevelBack() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger ours = LoggerFactory.getLogger("com.example.fanout.sampled");
    Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.request");
    Level rootBefore = context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel();
    List<Boolean> during = new ArrayList<>();

    ConsumerLogging.withInvocation(new TestLambdaContext("dev-inventory-reserve-stock"), "inventory", 1.0, () -> {
      during.add(ours.isDebugEnabled());
      during.add(sdk.isDebugEnabled());
      during.add(sdk.isWarnEnabled());
      return null;
    });

    assertThat(during).containsExactly(true, false, true);
    assertThat(ours.isDebugEnabled()).isFalse();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(rootBefore);
    assertThat(context.getLogger("com.example.fanout.sampled").getLevel()).isNull();
    assertThat(context.getLogger("software.amazon.awssdk").getLevel()).isEqualTo(Level.WARN);
    assertThat(sdk.isInfoEnabled()).isFalse();
  }

  @Test
  void levelFromTheEnvironment_shouldLeaveEarlierLoggersFollowingTheRoot_soThatSamplingStillRaisesThem() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger early = LoggerFactory.getLogger("com.example.fanout.early");
    LoggingManager powertools = LoggingManagerRegistry.getLoggingManager();
    try {
      // What PowertoolsLogging does when it first loads with POWERTOOLS_LOG_LEVEL=INFO.
      powertools.setLogLevel(org.slf4j.event.Level.INFO);
      assertThat(context.getLogger("com.example.fanout.early").getLevel()).as("still follows the root").isNull();
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
      FunctionLogConfigurator.QUIET_LOGGERS.forEach((name, level) ->
          assertThat(context.getLogger(name).getLevel()).as("%s stays quiet", name).isEqualTo(level));
      // EMF's environment detection, which logs at INFO on every flush outside Lambda's own variables.
      assertThat(LoggerFactory.getLogger("software.amazon.cloudwatchlogs.emf.environment.LocalEnvironment")
          .isInfoEnabled()).isFalse();

      List<Boolean> during = new ArrayList<>();
      ConsumerLogging.withInvocation(new TestLambdaContext("dev-inventory-reserve-stock"), "inventory", 1.0, () -> {
        during.add(early.isDebugEnabled());
        return null;
      });

      assertThat(during).containsExactly(true);
      assertThat(early.isDebugEnabled()).isFalse();
    } finally {
      FunctionLogConfigurator.QUIET_LOGGERS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
  }

  @Test
  void mdcValue_shouldBeAJsonValue_onlyWhenItReadsAsANumberOrABoolean() {
    assertThat(List.of("true", "false", "12", "-0.5", "0", "0.25", "1024"))
        .allMatch(LambdaJsonEncoder::isNumberOrBoolean);
    assertThat(List.of("", "007", "1.", ".5", "-", "1.2.3", "1e5", "TRUE", "ord_1", "12a"))
        .noneMatch(LambdaJsonEncoder::isNumberOrBoolean);
  }

  private static JsonNode powertoolsTemplate() throws Exception {
    Path jar = Path.of("target", "powertools-layout", "powertools-logging-log4j.jar");
    try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry("LambdaJsonLayout.json"))) {
      return JSON.readTree(in);
    }
  }

  /** The one ERROR line {@code body} writes (a sampled invocation also writes Powertools' DEBUG line). */
  private static JsonNode errorLine(Runnable body) {
    try (StdoutCapture stdout = new StdoutCapture()) {
      body.run();
      List<JsonNode> errors = stdout.jsonLines().stream().filter(l -> l.path("level").asText().equals("ERROR")).toList();
      assertThat(errors).hasSize(1);
      return errors.get(0);
    }
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
