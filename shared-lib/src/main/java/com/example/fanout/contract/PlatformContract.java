package com.example.fanout.contract;

import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.FunctionVariable;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the names and values the code and Terraform share ({@link MetricNames},
 * {@link EnvironmentNames}, {@link QueueRetention}, {@link DeadLetterAttributes}, {@link ResourceNames},
 * {@link AlarmKind}, {@link ScheduleInput}, {@link JvmOptions}, the rules of {@link FunctionVariable}) to
 * {@code terraform/contract.json}, which Terraform's modules read with
 * {@code jsondecode(file(...))}. A test fails when the committed file is not current
 * ({@code make contract} regenerates it).
 */
public final class PlatformContract {
  /** Where the file lives, relative to the repository root. */
  public static final String FILE = "terraform/contract.json";

  private PlatformContract() {}

  public static String render() {
    ObjectNode root = EventJson.mapper().createObjectNode();
    root.put("comment", "Generated from shared-lib com.example.fanout.contract by `make contract`; do not edit by hand.");

    ObjectNode metrics = root.putObject("metrics");
    metrics.put("namespace", MetricNames.NAMESPACE);
    ObjectNode sagaStuck = metrics.putObject("saga_stuck");
    sagaStuck.put("name", MetricNames.SAGA_STUCK);
    sagaStuck.put("dimension", MetricNames.SERVICE_DIMENSION);
    ObjectNode consumer = metrics.putObject("consumer");
    consumer.put("dimension", MetricNames.CONSUMER_DIMENSION);
    MetricNames.CONSUMER_METRICS.forEach(consumer.putArray("names")::add);
    ObjectNode function = metrics.putObject("function");
    function.put("dimension", MetricNames.FUNCTION_DIMENSION);
    MetricNames.FUNCTION_METRICS.forEach(function.putArray("names")::add);

    ObjectNode env = root.putObject("environment");
    env.put("env", EnvironmentNames.FANOUT_ENV);
    env.put("service", EnvironmentNames.FANOUT_SERVICE);
    env.put("function", EnvironmentNames.FANOUT_FUNCTION);
    env.put("event_bus_name", EnvironmentNames.EVENT_BUS_NAME);
    env.put("event_source", EnvironmentNames.EVENT_SOURCE);
    env.put("idempotency_table", EnvironmentNames.IDEMPOTENCY_TABLE);
    env.put("powertools_service_name", EnvironmentNames.POWERTOOLS_SERVICE_NAME);
    env.put("powertools_metrics_namespace", EnvironmentNames.POWERTOOLS_METRICS_NAMESPACE);
    env.put("powertools_log_level", EnvironmentNames.POWERTOOLS_LOG_LEVEL);
    env.put("tracer", EnvironmentNames.FANOUT_TRACER);
    env.put("dlq_url", EnvironmentNames.DLQ_URL);
    env.put("claim_check_bucket", EnvironmentNames.CLAIM_CHECK_BUCKET);
    env.put("queue_retention_seconds", EnvironmentNames.QUEUE_RETENTION_SECONDS);
    env.put("dlq_retention_seconds", EnvironmentNames.DLQ_RETENTION_SECONDS);
    env.put("table_prefix", EnvironmentNames.TABLE_PREFIX);
    env.put("bucket_prefix", EnvironmentNames.BUCKET_PREFIX);

    EnvironmentNames.EVERY_FUNCTION.forEach(root.putArray("every_function_environment")::add);

    ObjectNode retention = root.putObject("queue_retention");
    retention.put("queue_seconds", QueueRetention.QUEUE_SECONDS);
    retention.put("dlq_seconds", QueueRetention.DLQ_SECONDS);

    // The runtime's own variables: the function module validates a manifest's values with these at plan time.
    ObjectNode variables = root.putObject("function_variables");
    for (FunctionVariable v : FunctionVariable.values()) {
      ObjectNode rule = variables.putObject(v.name());
      rule.put("pattern", v.pattern());
      if (v.ranged()) {
        putNumber(rule, "min", v.min());
        putNumber(rule, "max", v.max());
      } else {
        rule.putNull("min");
        rule.putNull("max");
      }
      rule.put("rule", v.rule());
    }

    ObjectNode dlq = root.putObject("dead_letter_attributes");
    dlq.put("reason", DeadLetterAttributes.REASON);
    dlq.put("failure_class", DeadLetterAttributes.FAILURE_CLASS);
    dlq.put("consumer", DeadLetterAttributes.CONSUMER);
    dlq.put("source_queue", DeadLetterAttributes.SOURCE_QUEUE);
    dlq.put("original_message_id", DeadLetterAttributes.ORIGINAL_MESSAGE_ID);

    root.put("schedule_input", ScheduleInput.TEMPLATE);
    root.put("java_tool_options", JvmOptions.value());

    ObjectNode names = root.putObject("names");
    ResourceNames.patterns().forEach(names::put);

    ObjectNode alarms = root.putObject("alarms");
    for (AlarmKind k : AlarmKind.values()) {
      ObjectNode a = alarms.putObject(k.kind());
      a.put("scope", k.scope().name().toLowerCase(java.util.Locale.ROOT));
      a.put("alarmed_resource", k.alarmedResource());
      a.put("namespace", k.namespace());
      a.put("metric", k.metric());
      ArrayNode dimensions = a.putArray("dimensions");
      k.dimensions().keySet().forEach(dimensions::add);
      a.put("statistic", k.statistic());
      a.put("period", k.periodSeconds());
      a.put("evaluation_periods", k.evaluationPeriods());
      putNumber(a, "threshold", k.defaultThreshold());
      a.put("comparison", k.comparison());
      a.put("treat_missing_data", k.treatMissingData());
    }
    try {
      return EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render the contract", e);
    }
  }

  private static void putNumber(ObjectNode node, String field, double value) {
    if (value == Math.rint(value)) {
      node.put(field, (long) value);
    } else {
      node.put(field, value);
    }
  }

  /** {@code make contract}: writes {@link #FILE} under the repository root given as the only argument. */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : ".").resolve(FILE);
    Files.writeString(file, render());
    System.out.println("wrote " + file);
  }
}
