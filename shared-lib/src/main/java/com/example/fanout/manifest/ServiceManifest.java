package com.example.fanout.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One service's {@code service.yaml}, validated. The format is documented in docs/manifest.md.
 *
 * @param secrets names of the Secrets Manager secrets the service's functions may read (created
 *                outside Terraform, so no secret value is ever in code or state)
 */
public record ServiceManifest(
    String service,
    String source,
    String description,
    String owner,
    List<Publication> publishes,
    List<Consumer> consumers,
    List<HttpApi> http,
    List<StreamTrigger> streams,
    List<Schedule> schedules,
    List<Bucket> buckets,
    List<Table> tables,
    List<String> secrets,
    Path directory) {

  public ServiceManifest {
    publishes = List.copyOf(publishes);
    consumers = List.copyOf(consumers);
    http = List.copyOf(http);
    streams = List.copyOf(streams);
    schedules = List.copyOf(schedules);
    buckets = List.copyOf(buckets);
    tables = List.copyOf(tables);
    secrets = List.copyOf(secrets);
  }

  /** The same manifest, its schema paths relative to {@code dir}. */
  ServiceManifest withDirectory(Path dir) {
    return new ServiceManifest(service, source, description, owner, publishes, consumers, http, streams, schedules, buckets,
        tables, secrets, dir);
  }

  public Optional<Consumer> consumer(String name) {
    return consumers.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /**
   * Every function of the service by name (unique across triggers: the loader checks it), in the
   * order Terraform's service module lists them: consumers, HTTP APIs, streams, schedules, buckets
   * with a handler.
   */
  public Map<String, Function> functions() {
    var out = new java.util.LinkedHashMap<String, Function>();
    consumers.forEach(c -> out.put(c.name(), new Function(c.handler(), c.function())));
    http.forEach(h -> out.put(h.name(), new Function(h.handler(), h.function())));
    streams.forEach(s -> out.put(s.name(), new Function(s.handler(), s.function())));
    schedules.forEach(s -> out.put(s.name(), new Function(s.handler(), s.function())));
    buckets.stream().filter(b -> b.handler() != null).forEach(b -> out.put(b.name(), new Function(b.handler(), b.function())));
    return out;
  }

  /** Whether {@code function} is the handler S3 invokes with its bucket's new objects (the bucket's own name). */
  public boolean handlesBucket(String function) {
    return buckets.stream().anyMatch(b -> b.name().equals(function) && b.handler() != null);
  }

  /**
   * The AWS actions {@code function}'s own code calls, as its role grants them (docs/manifest.md,
   * "Least privilege"): the actions its {@code access} names on the service's tables and buckets and
   * in its permissions, {@code secretsmanager:GetSecretValue} when it reads secrets, {@code
   * events:PutEvents} when it publishes, and {@code s3:GetObject} when it handles a bucket's
   * objects. What the platform grants a function of its kind (its trigger, the idempotency table,
   * claim checks, logs, traces) is not listed. Empty for a function the manifest does not name.
   */
  public java.util.SortedSet<String> awsActionsOf(String function) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    Function f = functions().get(function);
    if (f == null) {
      return out;
    }
    Access access = f.spec().access();
    access.tables().values().forEach(out::addAll);
    access.buckets().values().forEach(out::addAll);
    access.permissions().forEach(p -> out.addAll(p.actions()));
    if (!access.secrets().isEmpty()) {
      out.add("secretsmanager:GetSecretValue");
    }
    if (!access.publishes().isEmpty()) {
      out.add("events:PutEvents");
    }
    if (handlesBucket(function)) {
      out.add("s3:GetObject");
    }
    return out;
  }

  /** One Lambda function of the service: its handler class and its settings. */
  public record Function(String handler, FunctionSpec spec) {}

  /** Every handler class the manifest names, with the path of the entry naming it. */
  public Map<String, String> handlerClassesByPath() {
    var out = new java.util.LinkedHashMap<String, String>();
    for (int i = 0; i < consumers.size(); i++) out.put("consumers[" + i + "].handler", consumers.get(i).handler());
    for (int i = 0; i < http.size(); i++) out.put("http[" + i + "].handler", http.get(i).handler());
    for (int i = 0; i < streams.size(); i++) out.put("streams[" + i + "].handler", streams.get(i).handler());
    for (int i = 0; i < schedules.size(); i++) out.put("schedules[" + i + "].handler", schedules.get(i).handler());
    for (int i = 0; i < buckets.size(); i++) {
      if (buckets.get(i).handler() != null) out.put("buckets[" + i + "].handler", buckets.get(i).handler());
    }
    return out;
  }

  /**
   * An event type the service emits; {@code version} is the one producers emit now.
   *
   * @param claimCheck whether an event of this type too large for the chain travels as a claim check
   *                   (its payload in the platform's claim-check bucket, ADR 0004)
   */
  public record Publication(String type, int version, String schema, boolean claimCheck) {}

  /** The event types of this service that opted in to the claim check. */
  public Set<String> claimCheckTypes() {
    Set<String> out = new java.util.TreeSet<>();
    publishes.forEach(p -> {
      if (p.claimCheck()) out.add(p.type());
    });
    return out;
  }

  /**
   * An SQS-driven consumer.
   *
   * @param filter      extra filter on the EventBridge event in SNS/EventBridge pattern syntax, or null
   * @param idempotency how a redelivered event is kept from applying twice (ADR 0098)
   */
  public record Consumer(
      String name, String handler, List<String> on, JsonNode filter, Batch batch, FunctionSpec function, QueueSpec queue,
      Idempotency idempotency) {
    public Consumer {
      on = List.copyOf(on);
      filter = filter == null ? null : filter.deepCopy();
      Objects.requireNonNull(idempotency, "idempotency");
    }

    @Override
    public JsonNode filter() {
      return filter == null ? null : filter.deepCopy();
    }
  }

  /** @param maxConcurrency event-source mapping maximum concurrency, or null for none */
  public record Batch(int size, int windowSeconds, Integer maxConcurrency) {}

  /** A consumer's {@code idempotency}: the manifest's words, lower-case. */
  public enum Idempotency {
    /** The consumer runtime keeps a record per event id (and its follow-ups) in the service's idempotency table. */
    RECORDS,
    /** The handler's writes are idempotent by themselves and it emits nothing: no record, no grant on the table. */
    NONE;

    public String manifestValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public record FunctionSpec(int memoryMb, int timeoutSeconds, int reservedConcurrency, Map<String, String> environment,
      Access access) {
    public FunctionSpec {
      environment = Map.copyOf(environment);
      access = access == null ? Access.NONE : access;
    }

    public FunctionSpec(int memoryMb, int timeoutSeconds, int reservedConcurrency, Map<String, String> environment) {
      this(memoryMb, timeoutSeconds, reservedConcurrency, environment, Access.NONE);
    }
  }

  /**
   * What a function's execution role grants besides its trigger, logs, traces and the key (see
   * docs/manifest.md, "Least privilege"): the event types it puts on the bus, the exact actions on
   * each of its service's tables and buckets, the service secrets it reads, and allow-listed
   * permissions the platform cannot derive (an SES identity, an SSM parameter).
   */
  public record Access(List<String> publishes, Map<String, List<String>> tables, Map<String, List<String>> buckets,
      List<String> secrets, List<Permission> permissions) {
    public static final Access NONE = new Access(List.of(), Map.of(), Map.of(), List.of(), List.of());

    public Access {
      publishes = List.copyOf(publishes);
      tables = Map.copyOf(tables);
      buckets = Map.copyOf(buckets);
      secrets = List.copyOf(secrets);
      permissions = List.copyOf(permissions);
    }
  }

  /**
   * @param resources ARNs, where {@code {partition}}, {@code {region}}, {@code {account}} and
   *                  {@code {env}} stand for the deployment's values
   */
  public record Permission(String sid, List<String> actions, List<String> resources) {
    public Permission {
      actions = List.copyOf(actions);
      resources = List.copyOf(resources);
    }
  }

  public record QueueSpec(int visibilityTimeoutSeconds, int maxReceiveCount) {}

  public record HttpApi(String name, String handler, List<Route> routes, FunctionSpec function, Authorization authorization) {
    public HttpApi {
      routes = List.copyOf(routes);
    }
  }

  /**
   * Who may call an HTTP API's routes: {@code jwt} (an OIDC issuer's access tokens; each route lists
   * the scopes of which a token needs one) or {@code iam} (SigV4, service-to-service; no scopes).
   * Terraform's authorizer and the local runtime's token check both read it.
   */
  public record Authorization(String type, Map<String, List<String>> scopes) {
    public static final String JWT = "jwt";
    public static final String IAM = "iam";

    public Authorization {
      scopes = Map.copyOf(scopes);
    }

    /** The scopes of which a token needs one for {@code route}; empty for {@code iam}. */
    public List<String> scopesOf(Route route) {
      return scopes.getOrDefault(route.toString(), List.of());
    }
  }

  /** @param path with {@code {name}} path parameters, e.g. {@code /orders/{id}} */
  public record Route(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /**
   * @param filters                Lambda FilterCriteria: Event Ruler patterns over the stream record
   *                               ({@code eventName}, {@code dynamodb.NewImage}, ...); a record that
   *                               matches none never invokes the function. Empty: every record does.
   * @param parallelizationFactor  batches of one shard in flight at once (1..10); records of one
   *                               partition key stay in order in one of them
   */
  public record StreamTrigger(String name, String handler, String table, Batch batch, FunctionSpec function,
      List<JsonNode> filters, int parallelizationFactor) {
    public StreamTrigger {
      filters = filters == null ? List.of() : filters.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    public StreamTrigger(String name, String handler, String table, Batch batch, FunctionSpec function) {
      this(name, handler, table, batch, function, List.of(), 1);
    }
  }

  public record Schedule(String name, String handler, String expression, String timezone, FunctionSpec function) {
    /** The time zone its cron expression is read in: {@code timezone}, else UTC (the scheduled-job module's default). */
    public java.time.ZoneId zone() {
      return java.time.ZoneId.of(timezone == null ? "UTC" : timezone);
    }
  }

  /** @param handler invoked on ObjectCreated, or null for a bucket with no trigger */
  public record Bucket(String name, String handler, String prefix, List<String> suffixes, FunctionSpec function) {
    public Bucket {
      suffixes = List.copyOf(suffixes);
    }
  }

  /** @param sortKey null when the table has only a partition key; streamView null when no stream */
  public record Table(String name, String partitionKey, String sortKey, String streamView, String ttlAttribute) {}
}
