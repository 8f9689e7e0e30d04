package com.example.fanout.local.secrets;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.DataFiles;
import com.example.fanout.local.HttpExchanges;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets Manager and SSM Parameter Store (both JSON 1.1, told apart by {@code X-Amz-Target}) on one
 * port, for what functions read through Powertools parameters: secrets ({@code CreateSecret},
 * {@code PutSecretValue}, {@code GetSecretValue}, {@code DescribeSecret}, {@code ListSecrets}) and
 * parameters ({@code PutParameter}, {@code GetParameter}, {@code GetParameters}). As in AWS, a secret's
 * ARN ends in {@code -} and six random characters, which is what a role's {@code <name>-??????} grant
 * matches, and a {@code SecureString} is returned as ciphertext unless {@code WithDecryption} is set.
 * Operators create them (the AWS CLI works against this endpoint). Values stay in memory; given a store
 * directory they are also kept in {@code <store>/secrets.json} (secrets with their ARNs, values and
 * version ids; parameters with their types, values and versions), rewritten atomically on every change,
 * owner-only ({@code rw-------}) where the file system has POSIX permissions, and read back at start.
 */
public final class SecretsServer implements AutoCloseable {
  public static final String SECRETS_TARGET = "secretsmanager.";
  public static final String SSM_TARGET = "AmazonSSM.";
  private static final Logger LOG = LoggerFactory.getLogger(SecretsServer.class);
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final String STORE_FILE = "secrets.json";

  record Secret(String arn, String name, String value, String versionId, Instant created) {}

  record Parameter(String arn, String name, String type, String value, long version, Instant modified) {}

  /** What {@code secrets.json} holds. */
  record Stored(List<Secret> secrets, List<Parameter> parameters) {}

  private final HttpServer server;
  private final HttpContext context;
  private final String region;
  private final String account;
  private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
  private final Map<String, Parameter> parameters = new ConcurrentHashMap<>();
  private final Path storeFile;
  private final Object saveLock = new Object();

  /** Secrets and parameters in memory only, gone when the server stops. */
  public SecretsServer(int port, String region, String account) {
    this(port, region, account, null);
  }

  /**
   * @param storeDirectory where {@code secrets.json} keeps the secrets and parameters so that a server
   *     started again on it serves them, ARNs unchanged (created if missing), or {@code null} to keep them in memory only
   */
  public SecretsServer(int port, String region, String account, Path storeDirectory) {
    this.region = region;
    this.account = account;
    this.storeFile = storeDirectory == null ? null : storeDirectory.resolve(STORE_FILE);
    if (storeFile != null) {
      load();
    }
    this.server = HttpExchanges.server(port);
    context = server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Runs {@code filter} before every request (the local IAM check). */
  public void addFilter(Filter filter) {
    context.getFilters().add(filter);
  }

  /**
   * The ARN a call on {@code nameOrArn} is authorised against: the secret's own (with its random
   * suffix), or, for a secret that does not exist, the name without a suffix, which no
   * {@code <name>-??????} grant matches (AWS, too, answers AccessDenied rather than not-found then).
   */
  public String secretArn(String nameOrArn) {
    return find(nameOrArn).map(Secret::arn).orElse(nameOrArn.startsWith("arn:") ? nameOrArn : secretArnPrefix() + nameOrArn);
  }

  /** A parameter's ARN: {@code parameter/} then its name without the leading slash. */
  public String parameterArn(String name) {
    return "arn:aws:ssm:" + region + ":" + account + ":parameter/" + (name.startsWith("/") ? name.substring(1) : name);
  }

  private String secretArnPrefix() {
    return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:";
  }

  private Optional<Secret> find(String nameOrArn) {
    if (nameOrArn == null) {
      return Optional.empty();
    }
    Secret byName = secrets.get(nameOrArn);
    return byName != null ? Optional.of(byName) : secrets.values().stream().filter(s -> s.arn().equals(nameOrArn)).findFirst();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
    JsonNode request;
    try {
      request = EventJson.mapper().readTree(HttpExchanges.body(exchange));
    } catch (IOException e) {
      error(exchange, "SerializationException", "request body is not JSON");
      return;
    }
    if (request == null || !request.isObject()) {
      error(exchange, "SerializationException", "request body must be a JSON object");
      return;
    }
    try {
      ObjectNode response = switch (target) {
        case SECRETS_TARGET + "CreateSecret" -> createSecret(request);
        case SECRETS_TARGET + "PutSecretValue" -> putSecretValue(request);
        case SECRETS_TARGET + "GetSecretValue" -> getSecretValue(request);
        case SECRETS_TARGET + "DescribeSecret" -> describeSecret(request);
        case SECRETS_TARGET + "ListSecrets" -> listSecrets();
        case SSM_TARGET + "PutParameter" -> putParameter(request);
        case SSM_TARGET + "GetParameter" -> object().set("Parameter", parameterJson(parameter(request.path("Name").asText()),
            request.path("WithDecryption").asBoolean(false)));
        case SSM_TARGET + "GetParameters" -> getParameters(request);
        default -> throw new Refusal("UnknownOperationException", "the local Secrets Manager and SSM serve "
            + "CreateSecret, PutSecretValue, GetSecretValue, DescribeSecret, ListSecrets, PutParameter, GetParameter and GetParameters; not " + target);
      };
      HttpExchanges.send(exchange, 200, CONTENT_TYPE, EventJson.write(response));
    } catch (Refusal r) {
      error(exchange, r.type, r.getMessage());
    } catch (UncheckedIOException e) {
      LOG.error("cannot keep the secrets and parameters in {}", storeFile, e);
      error(exchange, 500, "InternalServiceError", "the local store could not be written: " + e.getCause());
    }
  }

  private ObjectNode createSecret(JsonNode request) {
    String name = required(request, "Name");
    if (!name.matches("[A-Za-z0-9/_+=.@-]{1,512}")) {
      throw new Refusal("InvalidParameterException", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
    }
    Secret created = new Secret(secretArnPrefix() + name + "-" + suffix(), name, value(request), versionId(request), Instant.now());
    if (secrets.putIfAbsent(name, created) != null) {
      throw new Refusal("ResourceExistsException", "The operation failed because the secret " + name + " already exists.");
    }
    save();
    LOG.info("secret {} created ({})", name, created.arn());
    return object().put("ARN", created.arn()).put("Name", name).put("VersionId", created.versionId());
  }

  private ObjectNode putSecretValue(JsonNode request) {
    Secret current = secret(required(request, "SecretId"));
    Secret next = new Secret(current.arn(), current.name(), value(request), versionId(request), current.created());
    secrets.put(current.name(), next);
    save();
    return object().put("ARN", next.arn()).put("Name", next.name()).put("VersionId", next.versionId())
        .set("VersionStages", EventJson.mapper().createArrayNode().add("AWSCURRENT"));
  }

  private ObjectNode getSecretValue(JsonNode request) {
    Secret s = secret(required(request, "SecretId"));
    ObjectNode out = object().put("ARN", s.arn()).put("Name", s.name()).put("VersionId", s.versionId()).put("SecretString", s.value())
        .put("CreatedDate", s.created().getEpochSecond());
    out.set("VersionStages", EventJson.mapper().createArrayNode().add("AWSCURRENT"));
    return out;
  }

  private ObjectNode describeSecret(JsonNode request) {
    Secret s = secret(required(request, "SecretId"));
    return object().put("ARN", s.arn()).put("Name", s.name()).put("CreatedDate", s.created().getEpochSecond());
  }

  private ObjectNode listSecrets() {
    ArrayNode list = EventJson.mapper().createArrayNode();
    secrets.values().stream().sorted(Comparator.comparing(Secret::name))
        .forEach(s -> list.add(object().put("ARN", s.arn()).put("Name", s.name()).put("CreatedDate", s.created().getEpochSecond())));
    return object().set("SecretList", list);
  }

  private ObjectNode putParameter(JsonNode request) {
    String name = required(request, "Name");
    String value = required(request, "Value");
    String type = request.path("Type").asText("String");
    if (!type.equals("String") && !type.equals("StringList") && !type.equals("SecureString")) {
      throw new Refusal("ValidationException", "1 validation error detected: Value '" + type + "' at 'type' failed to satisfy constraint: "
          + "Member must satisfy enum value set: [SecureString, StringList, String]");
    }
    Parameter[] written = new Parameter[1];
    parameters.compute(name, (k, old) -> {
      if (old != null && !request.path("Overwrite").asBoolean(false)) {
        throw new Refusal("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
      }
      written[0] = new Parameter(parameterArn(name), name, type, value, old == null ? 1 : old.version() + 1, Instant.now());
      return written[0];
    });
    save();
    return object().put("Version", written[0].version()).put("Tier", "Standard");
  }

  private ObjectNode getParameters(JsonNode request) {
    ArrayNode found = EventJson.mapper().createArrayNode();
    ArrayNode invalid = EventJson.mapper().createArrayNode();
    for (JsonNode n : request.path("Names")) {
      Parameter p = parameters.get(n.asText());
      if (p == null) {
        invalid.add(n.asText());
      } else {
        found.add(parameterJson(p, request.path("WithDecryption").asBoolean(false)));
      }
    }
    ObjectNode out = object();
    out.set("Parameters", found);
    out.set("InvalidParameters", invalid);
    return out;
  }

  private ObjectNode parameterJson(Parameter p, boolean decrypt) {
    // Without decryption AWS returns a SecureString's KMS ciphertext; a stand-in that returned the
    // plain value would hide a reader that forgot WithDecryption.
    String value = p.type().equals("SecureString") && !decrypt
        ? Base64.getEncoder().encodeToString(("kms-ciphertext:" + p.value()).getBytes(StandardCharsets.UTF_8)) : p.value();
    return object().put("Name", p.name()).put("Type", p.type()).put("Value", value).put("Version", p.version())
        .put("ARN", p.arn()).put("LastModifiedDate", p.modified().getEpochSecond()).put("DataType", "text");
  }

  private Parameter parameter(String name) {
    Parameter p = parameters.get(name);
    if (p == null) {
      throw new Refusal("ParameterNotFound", "Parameter " + name + " not found.");
    }
    return p;
  }

  private Secret secret(String id) {
    return find(id).orElseThrow(() -> new Refusal("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
  }

  private void load() {
    try {
      Files.createDirectories(storeFile.getParent());
      // Temporary files of a save cut short; the file itself was only ever replaced whole.
      try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(storeFile.getParent(), DataFiles::isTemporary)) {
        for (Path leftover : leftovers) {
          Files.deleteIfExists(leftover);
        }
      }
      if (!Files.exists(storeFile)) {
        return;
      }
      Stored stored = EventJson.mapper().readValue(storeFile.toFile(), Stored.class);
      if (stored.secrets() != null) {
        stored.secrets().forEach(s -> secrets.put(s.name(), s));
      }
      if (stored.parameters() != null) {
        stored.parameters().forEach(p -> parameters.put(p.name(), p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the secrets and parameters of " + storeFile + ": restore or delete it", e);
    }
    LOG.info("{} secrets and {} parameters read back from {}", secrets.size(), parameters.size(), storeFile);
  }

  /**
   * Writes every secret and parameter to the store file. One save at a time, each of what the maps hold
   * when it runs, so the last save of concurrent changes holds all of them.
   */
  private void save() {
    if (storeFile == null) {
      return;
    }
    synchronized (saveLock) {
      Stored snapshot = new Stored(secrets.values().stream().sorted(Comparator.comparing(Secret::name)).toList(),
          parameters.values().stream().sorted(Comparator.comparing(Parameter::name)).toList());
      try {
        DataFiles.replace(storeFile, EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot), true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + storeFile, e);
      }
    }
  }

  private static String value(JsonNode request) {
    if (request.hasNonNull("SecretBinary")) {
      throw new Refusal("InvalidRequestException", "the local Secrets Manager keeps SecretString values only");
    }
    return required(request, "SecretString");
  }

  private static String versionId(JsonNode request) {
    return request.path("ClientRequestToken").asText(UUID.randomUUID().toString());
  }

  private static String required(JsonNode request, String field) {
    JsonNode v = request.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw new Refusal("InvalidParameterException", field + " is required");
    }
    return v.textValue();
  }

  private static String suffix() {
    StringBuilder out = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      out.append(SUFFIX_CHARS.charAt(RANDOM.nextInt(SUFFIX_CHARS.length())));
    }
    return out.toString();
  }

  private static ObjectNode object() {
    return EventJson.mapper().createObjectNode();
  }

  private static void error(HttpExchange exchange, String type, String message) throws IOException {
    error(exchange, 400, type, message);
  }

  private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    HttpExchanges.send(exchange, status, CONTENT_TYPE, EventJson.write(object().put("__type", type).put("message", message)));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static final class Refusal extends RuntimeException {
    private final String type;

    Refusal(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }
  }
}
