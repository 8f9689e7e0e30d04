package com.example.fanout.manifest;

import com.example.fanout.event.EventNames;
import com.example.fanout.manifest.ServiceManifest.Authorization;
import com.example.fanout.manifest.ServiceManifest.Batch;
import com.example.fanout.manifest.ServiceManifest.Bucket;
import com.example.fanout.manifest.ServiceManifest.Consumer;
import com.example.fanout.manifest.ServiceManifest.Idempotency;
import com.example.fanout.manifest.ServiceManifest.FunctionSpec;
import com.example.fanout.manifest.ServiceManifest.HttpApi;
import com.example.fanout.manifest.ServiceManifest.Publication;
import com.example.fanout.manifest.ServiceManifest.QueueSpec;
import com.example.fanout.manifest.ServiceManifest.Route;
import com.example.fanout.manifest.ServiceManifest.Schedule;
import com.example.fanout.manifest.ServiceManifest.StreamTrigger;
import com.example.fanout.manifest.ServiceManifest.Table;
import com.example.fanout.runtime.FunctionVariable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads one {@code service.yaml} and checks everything that can be checked within the file. Checks
 * across manifests (event types published once, subscriptions to known types) live in {@link Catalog}.
 */
public final class ManifestLoader {
  static final Pattern SERVICE_NAME = Pattern.compile("^[a-z][a-z0-9-]{1,30}$");
  static final Pattern RESOURCE_NAME = Pattern.compile("^[a-z][a-z0-9-]{1,40}$");
  static final Pattern JAVA_CLASS = Pattern.compile("^([a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*$");
  static final Pattern SCHEDULE = Pattern.compile("^(cron\\(.+\\)|rate\\(\\d+ (minute|minutes|hour|hours|day|days)\\)|at\\(.+\\))$");
  static final Pattern ROUTE = Pattern.compile("^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/[A-Za-z0-9._~{}/+-]*)$");
  static final Pattern AUTHORIZATION_TYPE = Pattern.compile("^(jwt|iam)$");
  static final Pattern SCOPE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$");
  static final Pattern SECRET_NAME = Pattern.compile("^[A-Za-z0-9/_+=.@-]{1,512}$");
  static final Pattern ATTRIBUTE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.-]{0,254}$");
  static final Set<String> STREAM_VIEWS = Set.of("NEW_IMAGE", "NEW_AND_OLD_IMAGES");
  /** AWS guidance for SQS event sources: visibility timeout at least six times the function timeout. */
  public static final int VISIBILITY_TIMEOUT_FACTOR = 6;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestLoader() {}

  /**
   * The YAML reader, in a holder of its own: a function reads its slice's manifests as JSON
   * ({@code service.json}, {@link #loadJson}), so its zip carries no YAML parser and its cold start
   * loads none.
   */
  private static final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
  }

  /**
   * Loads and validates {@code <dir>/service.yaml}, or the {@code service.json} a function's slice
   * holds instead ({@link Catalog#SLICE_MANIFEST}); throws with every problem found.
   */
  public static ServiceManifest load(Path serviceYaml) {
    if (isJson(serviceYaml)) {
      return loadJson(serviceYaml, serviceYaml.toAbsolutePath().getParent());
    }
    return parse(serviceYaml.toString(), read(serviceYaml), serviceYaml.toAbsolutePath().getParent());
  }

  private static boolean isJson(Path file) {
    return file.getFileName().toString().endsWith(".json");
  }

  /**
   * A manifest the build wrote as JSON from its checked YAML ({@code CatalogSliceWriter}): the same
   * checks, but the YAML 1.1 scalar ones, which its source passed.
   */
  private static ServiceManifest loadJson(Path serviceJson, Path directory) {
    JsonNode root;
    try {
      root = JSON.readTree(read(serviceJson));
    } catch (IOException e) {
      throw new InvalidManifestException(List.of(new ManifestProblem(serviceJson.toString(), "",
          "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""))));
    }
    return check(new Reader(serviceJson.toString()), root, directory);
  }

  private static String read(Path serviceYaml) {
    try {
      return Files.readString(serviceYaml);
    } catch (IOException e) {
      throw new InvalidManifestException(List.of(new ManifestProblem(serviceYaml.toString(), "", "cannot read: " + e.getMessage())));
    }
  }

  /**
   * Loads {@code <dir>/service.yaml} as a publisher's manifest in a function's catalog slice: checked
   * like {@link #load}, except that only the schema files of the types the slice needs are there.
   */
  public static ServiceManifest loadInSlice(Path serviceYaml) {
    ServiceManifest manifest = isJson(serviceYaml) ? loadJson(serviceYaml, null) : parse(serviceYaml.toString(), read(serviceYaml), null);
    return manifest.withDirectory(serviceYaml.toAbsolutePath().getParent());
  }

  /**
   * Parses manifest text.
   *
   * @param file      name used in problem reports
   * @param directory the service directory (schema paths are relative to it), or null if unknown
   */
  public static ServiceManifest parse(String file, String text, Path directory) {
    JsonNode root;
    try {
      root = Yaml.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new InvalidManifestException(List.of(new ManifestProblem(file, "", "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""))));
    }
    Reader r = new Reader(file);
    r.problems.addAll(Yaml11Scalars.check(file, text));
    return check(r, root, directory);
  }

  /** The manifest as a tree, in JSON: what the build writes into a function's slice. */
  public static String toJson(Path serviceYaml) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Yaml.MAPPER.readTree(read(serviceYaml))) + "\n";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot convert " + serviceYaml, e);
    }
  }

  private static ServiceManifest check(Reader r, JsonNode root, Path directory) {
    if (!(root instanceof ObjectNode)) {
      r.problem("", "must be a YAML mapping");
      throw new InvalidManifestException(r.problems);
    }
    ServiceManifest manifest = r.manifest(root, directory);
    if (!r.problems.isEmpty()) {
      throw new InvalidManifestException(r.problems);
    }
    return manifest;
  }

  /** Reports handler classes the class loader cannot find (run where the service's classes are). */
  public static List<ManifestProblem> missingHandlers(ServiceManifest manifest, String file, ClassLoader classLoader) {
    List<ManifestProblem> problems = new ArrayList<>();
    manifest.handlerClassesByPath().forEach((path, cls) -> {
      try {
        Class.forName(cls, false, classLoader);
      } catch (ClassNotFoundException | LinkageError e) {
        problems.add(new ManifestProblem(file, path, "handler class " + cls + " not found on the class path"));
      }
    });
    return problems;
  }

  /** Walks the tree, collecting problems instead of stopping at the first. */
  private static final class Reader {
    final String file;
    final List<ManifestProblem> problems = new ArrayList<>();
    final AccessReader access = new AccessReader(this::problem);

    Reader(String file) {
      this.file = file;
    }

    void problem(String path, String reason) {
      problems.add(new ManifestProblem(file, path, reason));
    }

    ServiceManifest manifest(JsonNode root, Path directory) {
      allowOnly(root, "", Set.of("service", "source", "description", "owner", "publishes", "consumers", "http", "streams", "schedules", "buckets", "tables", "secrets"));
      String service = string(root, "", "service", SERVICE_NAME, true);
      if (service != null && directory != null && directory.getFileName() != null
          && !directory.getFileName().toString().equals(service)) {
        problem("service", "'" + service + "' must equal the directory name '" + directory.getFileName() + "'");
      }
      String source = string(root, "", "source", EventNames.SOURCE, true);
      String description = string(root, "", "description", null, true);
      String owner = string(root, "", "owner", null, true);
      List<Table> tables = list(root, "", "tables", this::table);
      List<Publication> publishes = list(root, "", "publishes", (n, p) -> publication(n, p, directory));
      List<Consumer> consumers = list(root, "", "consumers", this::consumer);
      List<HttpApi> http = list(root, "", "http", this::httpApi);
      List<StreamTrigger> streams = list(root, "", "streams", (n, p) -> stream(n, p, tables));
      List<Schedule> schedules = list(root, "", "schedules", this::schedule);
      List<Bucket> buckets = list(root, "", "buckets", this::bucket);
      List<String> secrets = strings(root, "secrets", SECRET_NAME);

      unique(publishes, Publication::type, "publishes", "type");
      unique(tables, Table::name, "tables", "name");
      unique(buckets, Bucket::name, "buckets", "name");
      // Functions share one namespace: <env>-<service>-<name>.
      Map<String, String> functionNames = new LinkedHashMap<>();
      claim(functionNames, consumers, Consumer::name, "consumers");
      claim(functionNames, http, HttpApi::name, "http");
      claim(functionNames, streams, StreamTrigger::name, "streams");
      claim(functionNames, schedules, Schedule::name, "schedules");
      claim(functionNames, buckets.stream().filter(b -> b.handler() != null).toList(), Bucket::name, "buckets");
      ServiceManifest manifest = new ServiceManifest(service, source, description, owner, publishes, consumers, http, streams, schedules, buckets, tables, secrets, directory);
      access.check(manifest, functionsByPath(manifest));
      return manifest;
    }

    static Map<String, FunctionSpec> functionsByPath(ServiceManifest m) {
      Map<String, FunctionSpec> out = new LinkedHashMap<>();
      for (int i = 0; i < m.consumers().size(); i++) out.put("consumers[" + i + "].function", m.consumers().get(i).function());
      for (int i = 0; i < m.http().size(); i++) out.put("http[" + i + "].function", m.http().get(i).function());
      for (int i = 0; i < m.streams().size(); i++) out.put("streams[" + i + "].function", m.streams().get(i).function());
      for (int i = 0; i < m.schedules().size(); i++) out.put("schedules[" + i + "].function", m.schedules().get(i).function());
      for (int i = 0; i < m.buckets().size(); i++) out.put("buckets[" + i + "].function", m.buckets().get(i).function());
      return out;
    }

    Publication publication(JsonNode n, String p, Path directory) {
      allowOnly(n, p, Set.of("type", "version", "schema", "claim_check"));
      String type = string(n, p, "type", EventNames.TYPE, true);
      int version = integer(n, p, "version", 1, 1000, null);
      String schema = string(n, p, "schema", null, true);
      if (type != null && schema != null) {
        String expected = "schemas/" + type + ".v" + version + ".json";
        if (!schema.equals(expected)) {
          problem(p + ".schema", "must be '" + expected + "' (schemas/<Type>.v<version>.json), was '" + schema + "'");
        } else if (directory != null && !Files.isRegularFile(directory.resolve(schema))) {
          problem(p + ".schema", "file " + schema + " does not exist");
        }
      }
      boolean claimCheck = false;
      JsonNode cc = n.get("claim_check");
      if (cc != null && !cc.isBoolean()) {
        problem(p + ".claim_check", "must be true or false, was " + cc);
      } else if (cc != null) {
        claimCheck = cc.booleanValue();
      }
      return new Publication(type, version, schema, claimCheck);
    }

    Consumer consumer(JsonNode n, String p) {
      allowOnly(n, p, Set.of("name", "handler", "on", "filter", "batch", "function", "queue", "idempotency"));
      String name = string(n, p, "name", RESOURCE_NAME, true);
      String handler = string(n, p, "handler", JAVA_CLASS, true);
      List<String> on = new ArrayList<>();
      JsonNode onNode = n.get("on");
      if (onNode == null || !onNode.isArray() || onNode.isEmpty()) {
        problem(p + ".on", "must list at least one event type");
      } else {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < onNode.size(); i++) {
          JsonNode t = onNode.get(i);
          if (!t.isTextual() || !EventNames.isType(t.textValue())) {
            problem(p + ".on[" + i + "]", "must be a PascalCase event type, was " + t);
          } else if (!seen.add(t.textValue())) {
            problem(p + ".on[" + i + "]", "lists " + t.textValue() + " twice");
          } else {
            on.add(t.textValue());
          }
        }
      }
      JsonNode filter = n.get("filter");
      if (filter != null && !filter.isObject()) {
        problem(p + ".filter", "must be a mapping in SNS filter policy / EventBridge pattern syntax");
        filter = null;
      } else if (filter != null) {
        FilterPolicies.check(filter).forEach(reason -> problem(p + ".filter", reason));
      }
      Batch batch = batch(n.get("batch"), p + ".batch", true);
      FunctionSpec function = function(n.get("function"), p + ".function");
      QueueSpec queue = queue(n.get("queue"), p + ".queue");
      if (batch != null && function != null && batch.maxConcurrency() != null
          && batch.maxConcurrency() > function.reservedConcurrency()) {
        problem(p + ".batch.max_concurrency", batch.maxConcurrency() + " is above function.reserved_concurrency ("
            + function.reservedConcurrency() + "): the mapping would be throttled");
      }
      if (queue != null && function != null
          && queue.visibilityTimeoutSeconds() < VISIBILITY_TIMEOUT_FACTOR * function.timeoutSeconds()) {
        problem(p + ".queue.visibility_timeout_seconds", queue.visibilityTimeoutSeconds() + " is less than "
            + VISIBILITY_TIMEOUT_FACTOR + " x function.timeout_seconds (" + VISIBILITY_TIMEOUT_FACTOR * function.timeoutSeconds() + ")");
      }
      Idempotency idempotency = idempotency(n, p);
      if (idempotency == Idempotency.NONE && function != null && !function.access().publishes().isEmpty()) {
        problem(p + ".idempotency", "none is for consumers that emit nothing: this one publishes "
            + function.access().publishes() + ", whose re-emission on a redelivery needs the records");
      }
      return new Consumer(name, handler, on, filter, batch, function, queue, idempotency);
    }

    /** {@code idempotency: records} (the default) or {@code none}. */
    Idempotency idempotency(JsonNode n, String p) {
      String value = string(n, p, "idempotency", null, false);
      if (value == null) {
        return Idempotency.RECORDS;
      }
      for (Idempotency i : Idempotency.values()) {
        if (i.manifestValue().equals(value)) {
          return i;
        }
      }
      problem(p + ".idempotency", "must be records or none, was '" + value + "'");
      return Idempotency.RECORDS;
    }

    HttpApi httpApi(JsonNode n, String p) {
      allowOnly(n, p, Set.of("name", "handler", "routes", "function", "authorization"));
      String name = string(n, p, "name", RESOURCE_NAME, true);
      String handler = string(n, p, "handler", JAVA_CLASS, true);
      List<Route> routes = new ArrayList<>();
      JsonNode r = n.get("routes");
      if (r == null || !r.isArray() || r.isEmpty()) {
        problem(p + ".routes", "must list at least one route such as \"GET /orders/{id}\"");
      } else {
        for (int i = 0; i < r.size(); i++) {
          var m = r.get(i).isTextual() ? ROUTE.matcher(r.get(i).textValue()) : null;
          if (m == null || !m.matches()) {
            problem(p + ".routes[" + i + "]", "must be \"METHOD /path\", was " + r.get(i));
          } else {
            routes.add(new Route(m.group(1), m.group(2)));
          }
        }
        unique(routes, Route::toString, p + ".routes", "route");
      }
      return new HttpApi(name, handler, routes, function(n.get("function"), p + ".function"),
          authorization(n.get("authorization"), p + ".authorization", routes));
    }

    /** Required: an HTTP API without an authorizer would be open to anyone who can reach it. */
    Authorization authorization(JsonNode n, String p, List<Route> routes) {
      if (n == null || !n.isObject()) {
        problem(p, "is required: {type: jwt, scopes: {\"<route>\": [<scope>, ...]}} or {type: iam}");
        return new Authorization(Authorization.JWT, Map.of());
      }
      allowOnly(n, p, Set.of("type", "scopes"));
      String type = string(n, p, "type", AUTHORIZATION_TYPE, true);
      Map<String, List<String>> scopes = new LinkedHashMap<>();
      JsonNode s = n.get("scopes");
      if (Authorization.IAM.equals(type)) {
        if (s != null) {
          problem(p + ".scopes", "is for type jwt only: IAM authorization has no scopes");
        }
        return new Authorization(type, scopes);
      }
      Set<String> known = new HashSet<>();
      routes.forEach(r -> known.add(r.toString()));
      if (s != null && !s.isObject()) {
        problem(p + ".scopes", "must map each route to its scopes");
      } else if (s != null) {
        s.fieldNames().forEachRemaining(route -> {
          if (!known.contains(route)) {
            problem(p + ".scopes." + route, "is not a route of this API");
          }
        });
      }
      for (Route r : routes) {
        String route = r.toString();
        JsonNode list = s == null ? null : s.get(route);
        List<String> values = new ArrayList<>();
        if (list == null || !list.isArray() || list.isEmpty()) {
          problem(p + ".scopes." + route, "must list at least one scope such as orders/read (writing is not reading)");
        } else {
          for (JsonNode v : list) {
            if (!v.isTextual() || !SCOPE.matcher(v.textValue()).matches()) {
              problem(p + ".scopes." + route, v + " does not match " + SCOPE.pattern());
            } else {
              values.add(v.textValue());
            }
          }
        }
        scopes.put(route, List.copyOf(values));
      }
      return new Authorization(type, scopes);
    }

    StreamTrigger stream(JsonNode n, String p, List<Table> tables) {
      allowOnly(n, p, Set.of("name", "handler", "table", "batch", "function", "filter", "parallelization_factor"));
      String name = string(n, p, "name", RESOURCE_NAME, true);
      String handler = string(n, p, "handler", JAVA_CLASS, true);
      String table = string(n, p, "table", RESOURCE_NAME, true);
      if (table != null) {
        var declared = tables.stream().filter(t -> table.equals(t.name())).findFirst();
        if (declared.isEmpty()) {
          problem(p + ".table", "'" + table + "' is not one of this service's tables");
        } else if (declared.get().streamView() == null) {
          problem(p + ".table", "table '" + table + "' declares no stream");
        }
      }
      return new StreamTrigger(name, handler, table, batch(n.get("batch"), p + ".batch", false), function(n.get("function"), p + ".function"),
          filterPatterns(n.get("filter"), p + ".filter"), integer(n, p, "parallelization_factor", 1, 10, 1));
    }

    /** Lambda's FilterCriteria: at most 5 patterns (the default quota), each a JSON object in a string, as Lambda takes it. */
    List<JsonNode> filterPatterns(JsonNode n, String p) {
      if (n == null || n.isNull()) {
        return List.of();
      }
      if (!n.isArray() || n.isEmpty() || n.size() > 5) {
        problem(p, "must be a list of 1 to 5 event patterns, e.g. ['{\"eventName\": [\"INSERT\"]}']");
        return List.of();
      }
      List<JsonNode> patterns = new ArrayList<>();
      for (int i = 0; i < n.size(); i++) {
        JsonNode pattern = null;
        if (n.get(i).isTextual()) {
          try {
            pattern = new ObjectMapper().readTree(n.get(i).asText());
          } catch (IOException e) {
            pattern = null;
          }
        }
        if (pattern == null || !pattern.isObject() || pattern.isEmpty()) {
          problem(p + "[" + i + "]", "must be a non-empty JSON event pattern in a string, was " + n.get(i));
        } else {
          patterns.add(pattern);
        }
      }
      return patterns;
    }

    Schedule schedule(JsonNode n, String p) {
      allowOnly(n, p, Set.of("name", "handler", "expression", "timezone", "function"));
      String name = string(n, p, "name", RESOURCE_NAME, true);
      String handler = string(n, p, "handler", JAVA_CLASS, true);
      String expression = string(n, p, "expression", SCHEDULE, true);
      String timezone = n.has("timezone") ? string(n, p, "timezone", null, true) : "UTC";
      if (timezone != null) {
        try {
          java.time.ZoneId.of(timezone);
        } catch (java.time.DateTimeException e) {
          problem(p + ".timezone", "unknown time zone '" + timezone + "'");
        }
      }
      return new Schedule(name, handler, expression, timezone, function(n.get("function"), p + ".function"));
    }

    Bucket bucket(JsonNode n, String p) {
      allowOnly(n, p, Set.of("name", "handler", "prefix", "suffixes", "function"));
      String name = string(n, p, "name", RESOURCE_NAME, true);
      String handler = n.has("handler") ? string(n, p, "handler", JAVA_CLASS, true) : null;
      String prefix = n.has("prefix") ? string(n, p, "prefix", null, true) : "";
      List<String> suffixes = new ArrayList<>();
      JsonNode s = n.get("suffixes");
      if (s != null) {
        if (!s.isArray()) {
          problem(p + ".suffixes", "must be a list");
        } else {
          s.forEach(x -> suffixes.add(x.asText()));
        }
      }
      FunctionSpec function = null;
      if (handler != null) {
        function = function(n.get("function"), p + ".function");
      } else if (n.has("function") || !suffixes.isEmpty() || !prefix.isEmpty()) {
        problem(p, "prefix, suffixes and function need a handler");
      }
      return new Bucket(name, handler, prefix, suffixes, function);
    }

    Table table(JsonNode n, String p) {
      allowOnly(n, p, Set.of("name", "key", "stream", "ttl_attribute"));
      String name = string(n, p, "name", RESOURCE_NAME, true);
      String partition = null;
      String sort = null;
      JsonNode key = n.get("key");
      if (key == null || !key.isObject()) {
        problem(p + ".key", "is required: { partition: <attribute>, sort: <attribute> }");
      } else {
        allowOnly(key, p + ".key", Set.of("partition", "sort"));
        partition = string(key, p + ".key", "partition", ATTRIBUTE, true);
        sort = key.hasNonNull("sort") ? string(key, p + ".key", "sort", ATTRIBUTE, true) : null;
      }
      String stream = n.has("stream") ? string(n, p, "stream", null, true) : null;
      if (stream != null && !STREAM_VIEWS.contains(stream)) {
        problem(p + ".stream", "must be one of " + STREAM_VIEWS + ", was '" + stream + "'");
      }
      String ttl = n.has("ttl_attribute") ? string(n, p, "ttl_attribute", ATTRIBUTE, true) : null;
      return new Table(name, partition, sort, stream, ttl);
    }

    /** Event-source mapping batching; {@code sqs} adds the SQS-only rule tying size above 10 to a window. */
    Batch batch(JsonNode n, String p, boolean sqs) {
      if (n == null || !n.isObject()) {
        problem(p, "is required: { size, window_seconds, max_concurrency }");
        return null;
      }
      allowOnly(n, p, Set.of("size", "window_seconds", "max_concurrency"));
      int size = integer(n, p, "size", 1, 10_000, null);
      int window = integer(n, p, "window_seconds", 0, 300, 0);
      Integer maxConcurrency = n.has("max_concurrency") ? integer(n, p, "max_concurrency", 2, 1000, null) : null;
      if (sqs && size > 10 && window < 1) {
        problem(p + ".window_seconds", "must be at least 1 when size is above 10 (AWS rule for SQS event sources)");
      }
      return new Batch(size, window, maxConcurrency);
    }

    FunctionSpec function(JsonNode n, String p) {
      if (n == null || !n.isObject()) {
        problem(p, "is required: { memory_mb, timeout_seconds, reserved_concurrency }");
        return null;
      }
      allowOnly(n, p, Set.of("memory_mb", "timeout_seconds", "reserved_concurrency", "environment", "access"));
      int memory = integer(n, p, "memory_mb", 128, 10_240, null);
      int timeout = integer(n, p, "timeout_seconds", 1, 900, null);
      int reserved = integer(n, p, "reserved_concurrency", 1, 1000, null);
      Map<String, String> env = new LinkedHashMap<>();
      JsonNode e = n.get("environment");
      if (e != null) {
        if (!e.isObject()) {
          problem(p + ".environment", "must be a mapping of names to values");
        } else {
          for (Map.Entry<String, JsonNode> f : e.properties()) {
            if (!f.getKey().matches("^[A-Z][A-Z0-9_]*$")) {
              problem(p + ".environment." + f.getKey(), "names are UPPER_SNAKE_CASE");
            } else if (f.getKey().startsWith("AWS_")) {
              problem(p + ".environment." + f.getKey(), "AWS_ names are reserved by Lambda");
            } else if (!f.getValue().isValueNode() || f.getValue().isNull()) {
              problem(p + ".environment." + f.getKey(), "must be a plain value");
            } else {
              String name = f.getKey();
              String value = f.getValue().asText();
              FunctionVariable.named(name).flatMap(v -> v.problem(value)).ifPresentOrElse(
                  reason -> problem(p + ".environment." + name, reason), () -> env.put(name, value));
            }
          }
        }
      }
      return new FunctionSpec(memory, timeout, reserved, env, access.read(n.get("access"), p + ".access"));
    }

    QueueSpec queue(JsonNode n, String p) {
      if (n == null || !n.isObject()) {
        problem(p, "is required: { visibility_timeout_seconds, max_receive_count }");
        return null;
      }
      allowOnly(n, p, Set.of("visibility_timeout_seconds", "max_receive_count"));
      return new QueueSpec(
          integer(n, p, "visibility_timeout_seconds", 0, 43_200, null),
          integer(n, p, "max_receive_count", 1, 1000, null));
    }

    <T> List<T> list(JsonNode parent, String p, String field, java.util.function.BiFunction<JsonNode, String, T> read) {
      JsonNode n = parent.get(field);
      List<T> out = new ArrayList<>();
      if (n == null || n.isNull()) {
        return out;
      }
      if (!n.isArray()) {
        problem(join(p, field), "must be a list");
        return out;
      }
      for (int i = 0; i < n.size(); i++) {
        String path = join(p, field) + "[" + i + "]";
        if (!n.get(i).isObject()) {
          problem(path, "must be a mapping");
        } else {
          out.add(read.apply(n.get(i), path));
        }
      }
      return out;
    }

    /** An optional top-level list of distinct strings, each matching {@code pattern}. */
    List<String> strings(JsonNode root, String field, Pattern pattern) {
      List<String> out = new ArrayList<>();
      JsonNode n = root.get(field);
      if (n == null || n.isNull()) {
        return out;
      }
      if (!n.isArray()) {
        problem(field, "must be a list");
        return out;
      }
      for (int i = 0; i < n.size(); i++) {
        JsonNode v = n.get(i);
        if (!v.isTextual() || !pattern.matcher(v.textValue()).matches()) {
          problem(field + "[" + i + "]", v + " does not match " + pattern.pattern());
        } else if (out.contains(v.textValue())) {
          problem(field + "[" + i + "]", "lists '" + v.textValue() + "' twice");
        } else {
          out.add(v.textValue());
        }
      }
      return out;
    }

    String string(JsonNode n, String p, String field, Pattern pattern, boolean required) {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          problem(join(p, field), "is required");
        }
        return null;
      }
      if (!v.isTextual() || v.textValue().isBlank()) {
        problem(join(p, field), "must be a non-empty string, was " + v);
        return null;
      }
      if (pattern != null && !pattern.matcher(v.textValue()).matches()) {
        problem(join(p, field), "'" + v.textValue() + "' does not match " + pattern.pattern());
      }
      return v.textValue();
    }

    int integer(JsonNode n, String p, String field, int min, int max, Integer fallback) {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        if (fallback == null) {
          problem(join(p, field), "is required");
          return min;
        }
        return fallback;
      }
      if (!v.isIntegralNumber()) {
        problem(join(p, field), "must be an integer, was " + v);
        return min;
      }
      int value = v.intValue();
      if (value < min || value > max) {
        problem(join(p, field), value + " is out of range " + min + ".." + max);
      }
      return value;
    }

    void allowOnly(JsonNode n, String p, Set<String> allowed) {
      n.fieldNames().forEachRemaining(f -> {
        if (!allowed.contains(f)) {
          problem(join(p, f), "unknown key (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
      });
    }

    <T> void unique(List<T> items, Function<T, String> key, String p, String what) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < items.size(); i++) {
        String k = key.apply(items.get(i));
        if (k != null && !seen.add(k)) {
          problem(p + "[" + i + "]." + what, "duplicate " + what + " '" + k + "'");
        }
      }
    }

    <T> void claim(Map<String, String> names, List<T> items, Function<T, String> name, String section) {
      for (int i = 0; i < items.size(); i++) {
        String n = name.apply(items.get(i));
        if (n == null) {
          continue;
        }
        String previous = names.putIfAbsent(n, section + "[" + i + "]");
        if (previous != null) {
          problem(section + "[" + i + "].name", "duplicate name '" + n + "' (also " + previous + "): function names must be unique within a service");
        }
      }
    }

    static String join(String p, String field) {
      return p.isEmpty() ? field : p + "." + field;
    }
  }
}
