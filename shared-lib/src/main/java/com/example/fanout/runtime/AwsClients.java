package com.example.fanout.runtime;

import com.example.fanout.tracing.Tracer;
import java.util.Objects;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one way a function builds its AWS SDK clients, once per container (in the handler's no-arg
 * constructor): the url-connection HTTP client (one per JVM, the smallest cold start; its
 * connections from {@link KeepAliveConnections}), calls traced
 * by the function's tracer. Endpoints are not set here: the SDK reads {@code AWS_ENDPOINT_URL}
 * itself, which is how the local runtime points clients at its stand-ins.
 */
public final class AwsClients {
  private static final SdkHttpClient HTTP = KeepAliveConnections.httpClient();

  private final Tracer tracer;
  private final SdkHttpClient http;

  public AwsClients(Tracer tracer) {
    this(tracer, HTTP);
  }

  /** Clients on another HTTP client: {@link SdkPriming}'s, which sends every call to its loopback endpoint. */
  AwsClients(Tracer tracer, SdkHttpClient http) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.http = Objects.requireNonNull(http, "http");
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

  /** Any SDK client (SES, SSM, Secrets Manager, ...) configured like the others. */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
    return builder.httpClient(http)
        .overrideConfiguration(tracer.instrument(ClientOverrideConfiguration.builder()).build())
        .build();
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
