package com.example.fanout.local.alarms;

import com.example.fanout.contract.AlarmKind;
import com.example.fanout.contract.ResourceNames;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.ServiceManifest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The alarms of an environment: read from Terraform's plan JSON ({@code terraform show -json}),
 * or derived from the manifests with the settings of {@link AlarmKind} (the values the modules read
 * from {@code terraform/contract.json}), the way the modules attach them.
 */
public final class AlarmDefinitions {
  /** Locally an HTTP API has no generated id: the API's name stands for it. Its stage is {@code $default}. */
  public static final String STAGE = "$default";

  private AlarmDefinitions() {}

  public static List<AlarmDefinition> derive(Catalog catalog, String env, String account) {
    List<AlarmDefinition> out = new ArrayList<>();
    String sagaStuckPublisher = null;
    for (ServiceManifest m : catalog.services()) {
      if (m.publishes().stream().anyMatch(p -> p.type().equals(AlarmKind.SAGA_STUCK.kind()))) {
        sagaStuckPublisher = m.service();
      }
    }
    for (ServiceManifest m : catalog.services()) {
      String svc = m.service();
      Map<String, String> service = Map.of("env", env, "service", svc, "account", account);
      Consumer<String> consumer = name -> {
        add(out, AlarmKind.CONSUMER_DLQ_NOT_EMPTY, with(service, name));
        add(out, AlarmKind.QUEUE_MESSAGE_AGE_HIGH, with(service, name));
      };
      m.consumers().forEach(c -> consumer.accept(c.name()));
      m.http().forEach(h -> add(out, AlarmKind.API_SERVER_ERRORS, with(service, h.name())));
      m.streams().forEach(s -> {
        add(out, AlarmKind.STREAM_ITERATOR_AGE_HIGH, with(service, s.name()));
        add(out, AlarmKind.STREAM_DLQ_NOT_EMPTY, with(service, s.name()));
      });
      m.schedules().forEach(s -> {
        add(out, AlarmKind.SCHEDULE_DLQ_NOT_EMPTY, with(service, s.name()));
        add(out, AlarmKind.SCHEDULE_DLQ_SEND_FAILURES, with(service, s.name()));
      });
      m.buckets().stream().filter(b -> b.handler() != null)
          .forEach(b -> add(out, AlarmKind.BUCKET_EVENT_DLQ_NOT_EMPTY, with(service, b.name())));
      for (String function : functionNames(m)) {
        add(out, AlarmKind.LAMBDA_ERRORS, with(service, function));
        add(out, AlarmKind.LAMBDA_THROTTLES, with(service, function));
      }
      for (String function : onFailureDestinationFunctions(m)) {
        add(out, AlarmKind.DESTINATION_DELIVERY_FAILURES, with(service, function));
      }
      if (!m.publishes().isEmpty()) {
        add(out, AlarmKind.RULE_FAILED_INVOCATIONS, service);
        add(out, AlarmKind.RULE_DLQ_NOT_EMPTY, service);
        add(out, AlarmKind.RULE_DLQ_SEND_FAILURES, service);
        add(out, AlarmKind.SNS_DELIVERY_FAILURES, service);
        add(out, AlarmKind.SNS_REDRIVE_FAILURES, service);
      }
      if (svc.equals(sagaStuckPublisher)) {
        add(out, AlarmKind.SAGA_STUCK, service);
      }
    }
    return out;
  }

  /** The functions of a manifest, as the service module's {@code function_specs}. */
  public static List<String> functionNames(ServiceManifest m) {
    List<String> out = new ArrayList<>();
    m.consumers().forEach(c -> out.add(c.name()));
    m.http().forEach(h -> out.add(h.name()));
    out.addAll(onFailureDestinationFunctions(m));
    return out;
  }

  /** The functions of a manifest whose trigger has an on-failure destination (the function module's {@code on_failure}). */
  public static List<String> onFailureDestinationFunctions(ServiceManifest m) {
    List<String> out = new ArrayList<>();
    m.streams().forEach(s -> out.add(s.name()));
    m.schedules().forEach(s -> out.add(s.name()));
    m.buckets().stream().filter(b -> b.handler() != null).forEach(b -> out.add(b.name()));
    return out;
  }

  private static Map<String, String> with(Map<String, String> service, String name) {
    Map<String, String> out = new HashMap<>(service);
    out.put("name", name);
    return out;
  }

  private static void add(List<AlarmDefinition> out, AlarmKind kind, Map<String, String> ids) {
    Map<String, String> dimensions = new LinkedHashMap<>();
    kind.dimensions().forEach((dimension, source) -> dimensions.put(dimension, switch (source) {
      case "api_id" -> ResourceNames.render(ResourceNames.FUNCTION, ids);
      case "stage" -> STAGE;
      case "service_name" -> ids.get("service");
      default -> ResourceNames.render(ResourceNames.patterns().get(source), ids);
    }));
    String resource = ResourceNames.render(ResourceNames.patterns().get(kind.alarmedResource()), ids);
    out.add(new AlarmDefinition(ResourceNames.alarm(resource, kind.kind()), kind.kind(), kind.namespace(), kind.metric(),
        dimensions, kind.statistic(), kind.periodSeconds(), kind.evaluationPeriods(), kind.datapointsToAlarm(),
        kind.defaultThreshold(), kind.comparison(), kind.treatMissingData()));
  }

  /**
   * Every {@code aws_cloudwatch_metric_alarm} of a plan ({@code planned_values}) or state
   * ({@code values}) in Terraform's JSON format. The kind is the alarm name's last segment.
   */
  public static List<AlarmDefinition> fromTerraformJson(JsonNode document) {
    JsonNode root = document.has("planned_values") ? document.path("planned_values").path("root_module")
        : document.path("values").path("root_module");
    List<AlarmDefinition> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(JsonNode module, List<AlarmDefinition> out) {
    for (JsonNode r : module.path("resources")) {
      if (!r.path("type").asText().equals("aws_cloudwatch_metric_alarm")) {
        continue;
      }
      JsonNode v = r.path("values");
      String name = v.path("alarm_name").asText();
      Map<String, String> dimensions = new LinkedHashMap<>();
      v.path("dimensions").fields().forEachRemaining(e -> dimensions.put(e.getKey(), e.getValue().asText()));
      int evaluationPeriods = v.path("evaluation_periods").asInt();
      int datapoints = v.path("datapoints_to_alarm").isNumber() ? v.path("datapoints_to_alarm").asInt() : evaluationPeriods;
      out.add(new AlarmDefinition(name, name.substring(name.lastIndexOf('-') + 1), v.path("namespace").asText(),
          v.path("metric_name").asText(), dimensions, v.path("statistic").asText(), v.path("period").asInt(),
          evaluationPeriods, datapoints, v.path("threshold").asDouble(), v.path("comparison_operator").asText(),
          v.path("treat_missing_data").asText("missing")));
    }
    for (JsonNode child : module.path("child_modules")) {
      collect(child, out);
    }
  }
}
