package com.example.fanout.consumer;

import com.example.fanout.contract.MetricNames;

import com.example.fanout.consumer.internal.ConsumerParts;
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
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.FunctionVariable;
import com.example.fanout.schema.EventSchemas;
import com.example.fanout.tracing.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The collaborators of a consumer: built once per container by {@link #fromEnvironment()}, or by
 * {@link #builder()} in tests and in the local runtime.
 */
public final class ConsumerRuntime {
  private final String consumer;
  private final ConsumerParts parts;

  private ConsumerRuntime(Builder b) {
    String service = Objects.requireNonNull(b.service, "service");
    this.consumer = Objects.requireNonNull(b.consumer, "consumer");
    Catalog catalog = b.catalog != null ? b.catalog : Catalog.forService(service);
    String source = catalog.service(service).map(ServiceManifest::source).orElseThrow(
        () -> new IllegalArgumentException("service '" + service + "' is not in the catalog"));
    EventSchemas schemas = new EventSchemas(catalog);
    Tracer tracer = b.tracer != null ? b.tracer : Tracer.none();
    EventPublisher publisher = EventPublisher.builder()
        .client(Objects.requireNonNull(b.eventBridge, "eventBridge"))
        .eventBusName(Objects.requireNonNull(b.eventBusName, "eventBusName"))
        .schemas(schemas)
        .retry(b.publishRetry)
        .traceHeaders(tracer::currentTraceHeader)
        .claimChecks(b.claimChecks, b.claimChecks == null ? java.util.Set.of()
            : catalog.service(service).map(ServiceManifest::claimCheckTypes).orElse(java.util.Set.of()))
        .build();
    String qualifiedName = qualifiedName(service, consumer);
    this.parts = new ConsumerParts(service, qualifiedName, source, catalog, schemas,
        Objects.requireNonNull(b.sqs, "sqs"), Objects.requireNonNull(b.deadLetterQueueUrl, "deadLetterQueueUrl"),
        publisher, b.idempotency, b.claimChecks, tracer,
        b.metrics != null ? b.metrics : new ConsumerMetrics(MetricNames.NAMESPACE, qualifiedName),
        b.clock, b.backoffBase, b.backoffMax, b.logSampleRate);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Everything from the function's environment ({@link FunctionEnvironment}): {@code FANOUT_SERVICE},
   * {@code FANOUT_FUNCTION}, {@code EVENT_BUS_NAME}, {@code DLQ_URL}, optional {@code IDEMPOTENCY_TABLE} (not used
   * when the consumer's manifest entry says {@code idempotency: none}),
   * {@code CLAIM_CHECK_BUCKET}, {@code FANOUT_TRACER}, {@code RETRY_BACKOFF_BASE_SECONDS} and
   * {@code RETRY_BACKOFF_MAX_SECONDS}. SDK clients share one url-connection HTTP client and are
   * instrumented by the tracer.
   */
  public static ConsumerRuntime fromEnvironment() {
    Tracer tracer = Tracer.fromEnvironment();
    AwsClients clients = new AwsClients(tracer);
    Builder b = builder()
        .service(FunctionEnvironment.require("FANOUT_SERVICE"))
        .consumer(FunctionEnvironment.require("FANOUT_FUNCTION"))
        .tracer(tracer)
        .sqs(AwsClients.onFirstUse(clients::sqs))
        .deadLetterQueueUrl(FunctionEnvironment.require("DLQ_URL"))
        .eventBridge(clients.eventBridge(),
            FunctionEnvironment.require("EVENT_BUS_NAME"));
    b.metrics(ConsumerMetrics.fromEnvironment(qualifiedName(b.service, b.consumer)));
    // A consumer whose manifest says idempotency: none has no grant on the table (ADR 0098).
    boolean records = Catalog.forService(b.service).service(b.service).flatMap(m -> m.consumer(b.consumer))
        .map(c -> c.idempotency() == ServiceManifest.Idempotency.RECORDS).orElse(true);
    FunctionEnvironment.get("IDEMPOTENCY_TABLE").filter(table -> records).ifPresent(table -> b.idempotency(new DynamoDbPersistenceStore(
        clients.dynamoDb(),
        table, IdempotencyConfig.fromEnvironment(), Clock.systemUTC())));
    FunctionEnvironment.get("CLAIM_CHECK_BUCKET").ifPresent(bucket -> b.claimChecks(S3ClaimCheckStore.create(bucket, clients)));
    FunctionVariable.RETRY_BACKOFF_BASE_SECONDS.readWhole().ifPresent(base -> b.visibilityBackoff(
        Duration.ofSeconds(base), Duration.ofSeconds(FunctionVariable.RETRY_BACKOFF_MAX_SECONDS.readWhole().orElseThrow())));
    return b.build();
  }

  static String qualifiedName(String service, String consumer) {
    return service + "." + consumer;
  }

  public String service() {
    return parts.service();
  }

  /** {@code <service>.<consumer>}, e.g. {@code inventory.reserve-stock}: the metric dimension and key prefix. */
  public String qualifiedName() {
    return parts.qualifiedName();
  }

  /** The consumer as named in the manifest, e.g. {@code reserve-stock}. */
  String consumerName() {
    return consumer;
  }

  /** The AWS actions the consumer's role grants its own code ({@link ServiceManifest#awsActionsOf}): what its priming warms. */
  java.util.Set<String> awsActions() {
    return parts.catalog().awsActionsOf(parts.service(), consumer);
  }

  /** What the batch processor works with; not reachable from a handler. */
  ConsumerParts parts() {
    return parts;
  }

  public static final class Builder {
    private String service;
    private String consumer;
    private Catalog catalog;
    private Supplier<SqsClient> sqs;
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

    /** Manifests and schemas; the service's bundled slice ({@link Catalog#forService}) if not given. */
    public Builder catalog(Catalog catalog) {
      this.catalog = catalog;
      return this;
    }

    public Builder sqs(SqsClient sqs) {
      Objects.requireNonNull(sqs, "sqs");
      this.sqs = () -> sqs;
      return this;
    }

    /**
     * The client built when a record first fails (the DLQ, the visibility backoff): a consumer whose
     * batches succeed never builds it, nor loads the SQS client's classes at init.
     */
    public Builder sqs(Supplier<SqsClient> sqs) {
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
