package com.example.fanout.runtime;

import com.example.fanout.tracing.Tracer;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.utils.Lazy;

/**
 * The one way a function builds its AWS SDK clients, once per container (in the handler's no-arg
 * constructor): the url-connection HTTP client (one per JVM, the smallest cold start; its
 * connections from {@link KeepAliveConnections}), calls traced
 * by the function's tracer. In a function (in Lambda, or in the local runtime, where
 * {@code AWS_LAMBDA_FUNCTION_NAME} is set) the region is {@code AWS_REGION} and the credentials
 * {@link #FUNCTION_CREDENTIALS}, named rather than found by the SDK's default chains, which would
 * try profile files, containers and instance metadata on every cold start; elsewhere (a tool run by
 * an operator) the SDK's defaults apply. Endpoints are not set here: the SDK reads
 * {@code AWS_ENDPOINT_URL} itself, which is how the local runtime points clients at its stand-ins.
 */
public final class AwsClients {
  /** Redirected to priming's loopback on a thread running a priming invocation ({@link PrimingRedirect}). */
  private static final SdkHttpClient HTTP = new PrimingRedirect(KeepAliveConnections.httpClient());

  /** The clients built on {@link #HTTP}, whose calls a priming invocation holds back; kept weakly. */
  private static final Set<Object> HELD_BACK_DURING_PRIMING = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<>()));

  /**
   * A function's credentials: Lambda gives them as environment variables; the local runtime as the
   * {@code aws.accessKeyId} system properties it scopes to each in-process function. System
   * properties first, as in the SDK's default chain. Each call asks both in turn (two reads, no I/O)
   * rather than keeping the one that answered last: the local runtime's functions share this JVM,
   * and one function's answer must not become another's.
   */
  static final AwsCredentialsProvider FUNCTION_CREDENTIALS = AwsCredentialsProviderChain.builder()
      .credentialsProviders(SystemPropertyCredentialsProvider.create(), EnvironmentVariableCredentialsProvider.create())
      .reuseLastProviderEnabled(false)
      .build();

  private final Tracer tracer;
  private final SdkHttpClient http;
  private final Region region;
  private final AwsCredentialsProvider credentials;

  public AwsClients(Tracer tracer) {
    this(tracer, HTTP,
        FunctionEnvironment.inFunction() ? FunctionEnvironment.get("AWS_REGION").map(Region::of).orElse(null) : null,
        FunctionEnvironment.inFunction() ? FUNCTION_CREDENTIALS : null);
  }

  /**
   * Clients on another HTTP client, region and credentials: {@link SdkPriming}'s, which sends every
   * call to its loopback endpoint; a null region or credentials leaves the SDK's default chain.
   */
  AwsClients(Tracer tracer, SdkHttpClient http, Region region, AwsCredentialsProvider credentials) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.http = Objects.requireNonNull(http, "http");
    this.region = region;
    this.credentials = credentials;
  }

  /** Clients traced by the tracer {@code FANOUT_TRACER} names. */
  public static AwsClients fromEnvironment() {
    return new AwsClients(Tracer.fromEnvironment());
  }

  /**
   * Fails with {@code whatToDo} unless every one of {@code classNames} is in the package of
   * {@code caller}: for an SDK client a service packs only when its manifest asks for it (the claim
   * check's S3, payments' SSM store), so that a function set up to use it without it fails at init
   * saying what to change, not with a {@code NoClassDefFoundError} at its first call.
   */
  public static void requirePackaged(Class<?> caller, String whatToDo, String... classNames) {
    for (String name : classNames) {
      Throwable failure = loadFailure(caller, name);
      if (failure != null) {
        throw new IllegalStateException(whatToDo, failure);
      }
    }
  }

  /** Whether {@code className} is in the package of {@code caller} (see {@link #requirePackaged}). */
  public static boolean packaged(Class<?> caller, String className) {
    return loadFailure(caller, className) == null;
  }

  /** Why {@code className} cannot be loaded by {@code caller}'s class loader; null when it can. */
  private static Throwable loadFailure(Class<?> caller, String className) {
    try {
      Class.forName(className, false, caller.getClassLoader());
      return null;
    } catch (ClassNotFoundException | LinkageError e) {
      return e;
    }
  }

  /**
   * A client built by {@code build} at its first use, once, for calls that only a failure path makes:
   * a consumer's SQS client (the DLQ, the visibility backoff) costs its build and its classes at
   * init otherwise, on every cold start of a consumer whose batches all succeed.
   */
  public static <C> Supplier<C> onFirstUse(Supplier<C> build) {
    Objects.requireNonNull(build, "build");
    return new Lazy<>(() -> Objects.requireNonNull(build.get(), "the client built"))::getValue;
  }

  /** Any SDK client (SES, SSM, Secrets Manager, ...) configured like the others. */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
    if (region != null) {
      builder.region(region);
    }
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    C client = builder.httpClient(http)
        .overrideConfiguration(tracer.instrument(ClientOverrideConfiguration.builder()).build())
        .build();
    if (http == HTTP) {
      HELD_BACK_DURING_PRIMING.add(client);
    }
    return client;
  }

  /**
   * Whether a priming invocation's calls through {@code client} stay in the sandbox: true for a
   * client built here ({@link #build}), whose requests go to priming's loopback; false for one built
   * elsewhere (a test's, a tool's), whose calls priming cannot hold back.
   */
  public static boolean heldBackDuringPriming(Object client) {
    return HELD_BACK_DURING_PRIMING.contains(client);
  }

  public DynamoDbClient dynamoDb() {
    return build(DynamoDbClient.builder());
  }

  public EventBridgeClient eventBridge() {
    return build(EventBridgeClient.builder());
  }

  public SqsClient sqs() {
    return build(SqsClient.builder());
  }

  /**
   * Path-style addressing when {@code S3_FORCE_PATH_STYLE} says so, else whenever the S3 endpoint is
   * overridden (a local stand-in on {@code 127.0.0.1} cannot serve {@code <bucket>.127.0.0.1});
   * virtual-hosted style in AWS.
   */
  public S3Client s3() {
    boolean pathStyle = FunctionEnvironment.get("S3_FORCE_PATH_STYLE").map(Boolean::parseBoolean)
        .orElseGet(AwsClients::endpointOverridden);
    return build(S3Client.builder().forcePathStyle(pathStyle));
  }

  static boolean endpointOverridden() {
    return System.getProperty("aws.endpointUrlS3") != null || System.getProperty("aws.endpointUrl") != null
        || FunctionEnvironment.get("AWS_ENDPOINT_URL_S3").isPresent() || FunctionEnvironment.get("AWS_ENDPOINT_URL").isPresent();
  }
}
