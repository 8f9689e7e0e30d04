package com.example.fanout.ops;

import com.example.fanout.manifest.Catalog;
import com.example.fanout.runtime.KeepAliveConnections;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * Where a command points: the environment prefix, the manifests, and whether a local runtime's
 * control endpoint is there. Shared by every subcommand as a picocli mixin.
 *
 * <p>Environment: {@code FANOUT_ENV} (else {@code ENV}, else {@code dev}), {@code FANOUT_SERVICES_DIR}
 * (else {@code services}), {@code FANOUT_LOCAL_CONTROL_URL} (set: local runtime). The AWS clients
 * take {@code AWS_ENDPOINT_URL[_<SERVICE>]}, {@code AWS_REGION} (or the CLI's {@code AWS_DEFAULT_REGION})
 * and the key variables from the environment, and fall back to the SDK's chains (profiles, SSO,
 * instance roles) for whatever is not set.
 */
public final class Target {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  @Option(names = "--env", description = "environment prefix of every resource (default: $FANOUT_ENV, else $ENV, else dev)")
  String env;

  @Option(names = "--services", description = "directory of the service manifests (default: $FANOUT_SERVICES_DIR, else ./services)")
  Path servicesDir;

  private static final ThreadLocal<Map<String, String>> ENVIRONMENT = ThreadLocal.withInitial(System::getenv);

  private final Map<String, String> environment = ENVIRONMENT.get();
  private Catalog catalog;

  /** Runs {@code action} with {@code environment} in place of the process environment (tests, embedding). */
  static <T> T withEnvironment(Map<String, String> environment, java.util.function.Supplier<T> action) {
    Map<String, String> previous = ENVIRONMENT.get();
    ENVIRONMENT.set(Map.copyOf(environment));
    try {
      return action.get();
    } finally {
      ENVIRONMENT.set(previous);
    }
  }

  public String env() {
    return first(env, environment.get("FANOUT_ENV"), environment.get("ENV")).orElse("dev");
  }

  public Path servicesDir() {
    Path dir = servicesDir != null ? servicesDir
        : Path.of(first(environment.get("FANOUT_SERVICES_DIR")).orElse("services"));
    if (!Files.isDirectory(dir)) {
      throw new OpsException(Fanout.REFUSED, "no manifests in " + dir.toAbsolutePath()
          + ": run from the repository root or set FANOUT_SERVICES_DIR / --services");
    }
    return dir;
  }

  public Catalog catalog() {
    if (catalog == null) {
      catalog = Catalog.load(servicesDir());
    }
    return catalog;
  }

  /** The local runtime's control endpoint, if {@code FANOUT_LOCAL_CONTROL_URL} is set. */
  public Optional<URI> localControl() {
    return first(environment.get("FANOUT_LOCAL_CONTROL_URL")).map(u -> URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u));
  }

  /** {@code <env>-<name>}, the physical name of a queue, table, function or alarm. */
  public String physical(String name) {
    return env() + "-" + name;
  }

  public String eventBusName() {
    return com.example.fanout.contract.ResourceNames.bus(env());
  }

  public SqsClient sqs() {
    var b = SqsClient.builder().httpClient(KeepAliveConnections.httpClient()).overrideConfiguration(timeouts());
    endpoint("SQS").ifPresent(b::endpointOverride);
    region().ifPresent(b::region);
    credentials().ifPresent(b::credentialsProvider);
    return b.build();
  }

  public EventBridgeClient eventBridge() {
    var b = EventBridgeClient.builder().httpClient(KeepAliveConnections.httpClient()).overrideConfiguration(timeouts());
    endpoint("EVENTBRIDGE").ifPresent(b::endpointOverride);
    region().ifPresent(b::region);
    credentials().ifPresent(b::credentialsProvider);
    return b.build();
  }

  public software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient dynamoDbStreams() {
    var b = software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient.builder()
        .httpClient(KeepAliveConnections.httpClient()).overrideConfiguration(timeouts());
    endpoint("DYNAMODB_STREAMS").ifPresent(b::endpointOverride);
    region().ifPresent(b::region);
    credentials().ifPresent(b::credentialsProvider);
    return b.build();
  }

  /** Lambda with a call timeout of a function's longest run (15 minutes), since Invoke waits for the handler. */
  public software.amazon.awssdk.services.lambda.LambdaClient lambda() {
    var b = software.amazon.awssdk.services.lambda.LambdaClient.builder().httpClient(KeepAliveConnections.httpClient(
            Duration.ofSeconds(2), Duration.ofMinutes(15)))
        .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofMinutes(15))
            .apiCallAttemptTimeout(Duration.ofMinutes(15)).build());
    endpoint("LAMBDA").ifPresent(b::endpointOverride);
    region().ifPresent(b::region);
    credentials().ifPresent(b::credentialsProvider);
    return b.build();
  }

  public XRayClient xray() {
    var b = XRayClient.builder().httpClient(KeepAliveConnections.httpClient()).overrideConfiguration(timeouts());
    endpoint("XRAY").ifPresent(b::endpointOverride);
    region().ifPresent(b::region);
    credentials().ifPresent(b::credentialsProvider);
    return b.build();
  }

  public software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch() {
    var b = software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder()
        .httpClient(KeepAliveConnections.httpClient()).overrideConfiguration(timeouts());
    endpoint("CLOUDWATCH").ifPresent(b::endpointOverride);
    region().ifPresent(b::region);
    credentials().ifPresent(b::credentialsProvider);
    return b.build();
  }

  /**
   * {@code AWS_ENDPOINT_URL_<SERVICE>}, else {@code AWS_ENDPOINT_URL}; the SDK reads the same
   * variables, this reads them from the environment the command was given.
   */
  private Optional<URI> endpoint(String service) {
    return first(environment.get("AWS_ENDPOINT_URL_" + service), environment.get("AWS_ENDPOINT_URL")).map(URI::create);
  }

  /** {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION} (what the AWS CLI reads); else the SDK's chain (profile). */
  private Optional<Region> region() {
    return first(environment.get("AWS_REGION"), environment.get("AWS_DEFAULT_REGION")).map(Region::of);
  }

  /** Keys from the environment when it has them (as the SDK's first provider does); else the SDK's chain. */
  private Optional<AwsCredentialsProvider> credentials() {
    String id = environment.get("AWS_ACCESS_KEY_ID");
    String secret = environment.get("AWS_SECRET_ACCESS_KEY");
    if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    String token = environment.get("AWS_SESSION_TOKEN");
    return Optional.of(StaticCredentialsProvider.create(token == null || token.isBlank()
        ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token)));
  }

  private static ClientOverrideConfiguration timeouts() {
    return ClientOverrideConfiguration.builder().apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT).build();
  }

  private static Optional<String> first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
