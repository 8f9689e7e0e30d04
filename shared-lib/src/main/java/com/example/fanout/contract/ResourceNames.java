package com.example.fanout.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How physical resources are named, as patterns over {@code {env}}, {@code {service}},
 * {@code {name}} (a consumer, trigger or table of the manifest) and {@code {account}}. Terraform
 * renders the same patterns from {@code terraform/contract.json}; the local runtime and
 * {@code fanout} render them here.
 */
public final class ResourceNames {
  public static final String BUS = "{env}-fanout";
  public static final String TOPIC = "{env}-{service}-events";
  public static final String RULE = "{env}-{service}-to-topic";
  public static final String RULE_DLQ = "{env}-{service}-events-rule-dlq";
  /** A consumer's queue, a function, a table, a stream relay, a schedule, an API: one name each. */
  public static final String FUNCTION = "{env}-{service}-{name}";
  public static final String QUEUE = FUNCTION;
  public static final String TABLE = FUNCTION;
  /** The DLQ of a consumer queue, and the on-failure DLQ of a stream relay, schedule or bucket trigger. */
  public static final String DLQ = FUNCTION + "-dlq";
  /**
   * A scheduled job's EventBridge Scheduler schedule group, one per job: the scheduler publishes its
   * metrics per group, so a group of its own makes them the job's (ADR 0118).
   */
  public static final String SCHEDULE_GROUP = FUNCTION;
  public static final String IDEMPOTENCY_TABLE = "{env}-{service}-idempotency";
  public static final String BUCKET = "{env}-{service}-{name}-{account}";
  /** An alarm: the name of what it watches, then its kind ({@code local-inventory-reserve-stock-dlq-ConsumerDlqNotEmpty}). */
  public static final String ALARM = "{resource}-{kind}";
  /** The saga alarm watches a service as a whole. */
  public static final String SERVICE = "{env}-{service}";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

  private ResourceNames() {}

  /** Every pattern by its key in the contract JSON. */
  public static Map<String, String> patterns() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("bus", BUS);
    out.put("topic", TOPIC);
    out.put("rule", RULE);
    out.put("rule_dlq", RULE_DLQ);
    out.put("function", FUNCTION);
    out.put("queue", QUEUE);
    out.put("table", TABLE);
    out.put("dlq", DLQ);
    out.put("schedule_group", SCHEDULE_GROUP);
    out.put("idempotency_table", IDEMPOTENCY_TABLE);
    out.put("bucket", BUCKET);
    out.put("alarm", ALARM);
    out.put("service", SERVICE);
    return out;
  }

  /** {@code pattern} with each placeholder replaced; an error naming a placeholder with no value. */
  public static String render(String pattern, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(pattern);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for {" + m.group(1) + "} in name pattern " + pattern);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  public static String bus(String env) {
    return render(BUS, Map.of("env", env));
  }

  public static String topic(String env, String service) {
    return render(TOPIC, Map.of("env", env, "service", service));
  }

  public static String rule(String env, String service) {
    return render(RULE, Map.of("env", env, "service", service));
  }

  public static String ruleDlq(String env, String service) {
    return render(RULE_DLQ, Map.of("env", env, "service", service));
  }

  public static String function(String env, String service, String name) {
    return render(FUNCTION, Map.of("env", env, "service", service, "name", name));
  }

  public static String queue(String env, String service, String consumer) {
    return render(QUEUE, Map.of("env", env, "service", service, "name", consumer));
  }

  public static String table(String env, String service, String table) {
    return render(TABLE, Map.of("env", env, "service", service, "name", table));
  }

  public static String dlq(String env, String service, String name) {
    return render(DLQ, Map.of("env", env, "service", service, "name", name));
  }

  public static String scheduleGroup(String env, String service, String job) {
    return render(SCHEDULE_GROUP, Map.of("env", env, "service", service, "name", job));
  }

  public static String idempotencyTable(String env, String service) {
    return render(IDEMPOTENCY_TABLE, Map.of("env", env, "service", service));
  }

  public static String bucket(String env, String service, String bucket, String account) {
    return render(BUCKET, Map.of("env", env, "service", service, "name", bucket, "account", account));
  }

  public static String alarm(String resource, String kind) {
    return render(ALARM, Map.of("resource", resource, "kind", kind));
  }

  public static String service(String env, String service) {
    return render(SERVICE, Map.of("env", env, "service", service));
  }
}
