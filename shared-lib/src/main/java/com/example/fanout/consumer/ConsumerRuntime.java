package com.example.fanout.consumer;

import com.example.fanout.idempotency.BasePersistenceStore;
import com.example.fanout.idempotency.DynamoDbPersistenceStore;
import com.example.fanout.idempotency.IdempotencyConfig;
import com.example.fanout.logging.ConsumerLogging;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.ServiceManifest;
import com.example.fanout.metrics.ConsumerMetrics;
import com.example.fanout.publish.ClaimCheckStore;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.publish.RetryPolicy;
import com.example.fanout.publish.S3ClaimCheckStore;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.schema.EventSchemas;
import com.example.fanout.tracing.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The collaborators of a consumer: built once per container by {@link #fromEnvironment()}, or by
 * {@link #builder()} in tests and in the local runtime.
 */
public final class ConsumerRuntime {
  private final String service;
  private final String consumer;
  private final String source;
  private final Catalog catalog;
  private final EventSchemas schemas;
  private final SqsClient sqs;
  private final String deadLetterQueueUrl;
  private final EventPublisher publisher;
  private final BasePersistenceStore idempotency;
  private final ClaimCheckStore claimChecks;
  private final Tracer tracer;
  private final ConsumerMetrics metrics;
  private final Clock clock;
  private final Duration backoffBase;
  private final Duration backoffMax;
  private final double logSampleRate;

  private ConsumerRuntime(Builder b) {
    this.service = Objects.requireNonNull(b.service, "service");
    this.consumer = Objects.requireNonNull(b.consumer, "consumer");
    this.catalog = b.catalog != null ? b.catalog : Catalog.fromClasspath();
    this.source = catalog.service(service).map(ServiceManifest::source).orElseThrow(
        () -> new IllegalArgumentException("service '" + service + "' is not in the catalog"));
    this.schemas = new EventSchemas(catalog);
    this.sqs = Objects.requireNonNull(b.sqs, "sqs");
    this.deadLetterQueueUrl = Objects.requireNonNull(b.deadLetterQueueUrl, "deadLetterQueueUrl");
    this.tracer = b.tracer != null ? b.tracer : Tracer.none();
    this.publisher = EventPublisher.builder()
        .client(Objects.requireNonNull(b.eventBridge, "eventBridge"))
        .eventBusName(Objects.requireNonNull(b.eventBusName, "eventBusName"))
        .schemas(schemas)
        .retry(b.publishRetry)
        .traceHeaders(tracer::currentTraceHeader)
        .build();
    this.idempotency = b.idempotency;
    this.claimChecks = b.claimChecks;
    this.metrics = b.metrics != null ? b.metrics : new ConsumerMetrics(com.example.fanout.contract.MetricNames.NAMESPACE, qualifiedName(service, consumer));
    this.clock = b.clock;
    this.backoffBase = b.backoffBase;
    this.backoffMax = b.backoffMax;
    this.logSampleRate = b.logSampleRate;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Everything from the function's environment ({@link FunctionEnvironment}): {@code FANOUT_SERVICE},
   * {@code FANOUT_FUNCTION}, {@code EVENT_BUS_NAME}, {@code DLQ_URL}, optional {@code IDEMPOTENCY_TABLE},
   * {@code CLAIM_CHECK_BUCKET}, {@code FANOUT_TRACER}, {@code RETRY_BACKOFF_BASE_SECONDS} and
   * {@code RETRY_BACKOFF_MAX_SECONDS}. SDK clients share one url-connection HTTP client and are
   * instrumented by the tracer.
   */
  public static ConsumerRuntime fromEnvironment() {
    Tracer tracer = Tracer.fromEnvironment();
    ClientOverrideConfiguration tracing = tracer.instrument(ClientOverrideConfiguration.builder()).build();
    SdkHttpClient http = UrlConnectionHttpClient.create();
    Builder b = builder()
        .service(FunctionEnvironment.require("FANOUT_SERVICE"))
        .consumer(FunctionEnvironment.require("FANOUT_FUNCTION"))
        .tracer(tracer)
        .sqs(SqsClient.builder().httpClient(http).overrideConfiguration(tracing).build())
        .deadLetterQueueUrl(FunctionEnvironment.require("DLQ_URL"))
        .eventBridge(EventBridgeClient.builder().httpClient(http).overrideConfiguration(tracing).build(),
            FunctionEnvironment.require("EVENT_BUS_NAME"));
    b.metrics(ConsumerMetrics.fromEnvironment(qualifiedName(b.service, b.consumer)));
    FunctionEnvironment.get("IDEMPOTENCY_TABLE").ifPresent(table -> b.idempotency(new DynamoDbPersistenceStore(
        DynamoDbClient.builder().httpClient(http).overrideConfiguration(tracing).build(),
        table, IdempotencyConfig.fromEnvironment(), Clock.systemUTC())));
    FunctionEnvironment.get("CLAIM_CHECK_BUCKET").ifPresent(bucket -> b.claimChecks(new S3ClaimCheckStore(
        S3Client.builder().httpClient(http).overrideConfiguration(tracing).build(), bucket, "claim-checks/")));
    FunctionEnvironment.get("RETRY_BACKOFF_BASE_SECONDS").ifPresent(base -> b.visibilityBackoff(
        Duration.ofSeconds(Long.parseLong(base)),
        Duration.ofSeconds(FunctionEnvironment.get("RETRY_BACKOFF_MAX_SECONDS").map(Long::parseLong).orElse(900L))));
    return b.build();
  }

  static String qualifiedName(String service, String consumer) {
    return service + "." + consumer;
  }

  public String service() {
    return service;
  }

  /** {@code <service>.<consumer>}, e.g. {@code inventory.reserve-stock}: the metric dimension and key prefix. */
  public String qualifiedName() {
    return qualifiedName(service, consumer);
  }

  /** The EventBridge source of the events this consumer emits (its service's). */
  public String source() {
    return source;
  }

  public Catalog catalog() {
    return catalog;
  }

  public EventSchemas schemas() {
    return schemas;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public String deadLetterQueueUrl() {
    return deadLetterQueueUrl;
  }

  public EventPublisher publisher() {
    return publisher;
  }

  /** The idempotency store, or null when the consumer runs without one (every delivery is handled). */
  public BasePersistenceStore idempotency() {
    return idempotency;
  }

  public ClaimCheckStore claimChecks() {
    return claimChecks;
  }

  public Tracer tracer() {
    return tracer;
  }

  public ConsumerMetrics metrics() {
    return metrics;
  }

  public Clock clock() {
    return clock;
  }

  /** Base of the visibility backoff of a failed record, or null to leave the queue's visibility timeout. */
  public Duration backoffBase() {
    return backoffBase;
  }

  public Duration backoffMax() {
    return backoffMax;
  }

  /** Share of invocations logged at DEBUG ({@code POWERTOOLS_LOGGER_SAMPLE_RATE}). */
  public double logSampleRate() {
    return logSampleRate;
  }

  public static final class Builder {
    private String service;
    private String consumer;
    private Catalog catalog;
    private SqsClient sqs;
    private String deadLetterQueueUrl;
    private EventBridgeClient eventBridge;
    private String eventBusName;
    private RetryPolicy publishRetry = RetryPolicy.defaults();
    private BasePersistenceStore idempotency;
    private ClaimCheckStore claimChecks;
    private Tracer tracer;
    private ConsumerMetrics metrics;
    private Clock clock = Clock.systemUTC();
    private Duration backoffBase;
    private Duration backoffMax;
    private double logSampleRate = ConsumerLogging.sampleRateFromEnvironment();

    /** The service as named in its manifest, e.g. {@code inventory}. */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /** The consumer as named in the manifest, e.g. {@code reserve-stock}. */
    public Builder consumer(String consumer) {
      this.consumer = consumer;
      return this;
    }

    /** Manifests and schemas; the catalog bundled in the library if not given. */
    public Builder catalog(Catalog catalog) {
      this.catalog = catalog;
      return this;
    }

    public Builder sqs(SqsClient sqs) {
      this.sqs = sqs;
      return this;
    }

    public Builder deadLetterQueueUrl(String url) {
      this.deadLetterQueueUrl = url;
      return this;
    }

    public Builder eventBridge(EventBridgeClient client, String eventBusName) {
      this.eventBridge = client;
      this.eventBusName = eventBusName;
      return this;
    }

    public Builder publishRetry(RetryPolicy retry) {
      this.publishRetry = retry;
      return this;
    }

    public Builder idempotency(BasePersistenceStore store) {
      this.idempotency = store;
      return this;
    }

    public Builder claimChecks(ClaimCheckStore store) {
      this.claimChecks = store;
      return this;
    }

    public Builder tracer(Tracer tracer) {
      this.tracer = tracer;
      return this;
    }

    public Builder metrics(ConsumerMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * After a transient failure, hide the record for {@code base x 2^(receiveCount-1)}, at most
     * {@code max} (SQS allows 12 hours), instead of the queue's fixed visibility timeout.
     */
    public Builder visibilityBackoff(Duration base, Duration max) {
      this.backoffBase = base;
      this.backoffMax = max;
      return this;
    }

    /** Share of invocations (0 to 1) logged at DEBUG; {@code POWERTOOLS_LOGGER_SAMPLE_RATE} by default. */
    public Builder logSampleRate(double rate) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("log sample rate must be between 0 and 1, was " + rate);
      }
      this.logSampleRate = rate;
      return this;
    }

    public ConsumerRuntime build() {
      return new ConsumerRuntime(this);
    }
  }
}
