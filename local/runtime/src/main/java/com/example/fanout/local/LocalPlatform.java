package com.example.fanout.local;

import com.example.fanout.contract.EnvironmentNames;
import com.example.fanout.contract.MetricNames;
import com.example.fanout.contract.ResourceNames;
import com.example.fanout.local.alarms.AlarmDefinitions;
import com.example.fanout.local.alarms.DeliveryAlarmMetrics;
import com.example.fanout.local.alarms.LocalAlarms;
import com.example.fanout.local.dynamodb.DynamoDbProxy;
import com.example.fanout.local.dynamodb.StreamFeed;
import com.example.fanout.local.eventbridge.EventArchive;
import com.example.fanout.local.eventbridge.EventBridgeServer;
import com.example.fanout.local.eventbridge.EventBus;
import com.example.fanout.local.iam.AuthzRequest;
import com.example.fanout.local.iam.Denial;
import com.example.fanout.local.iam.IamEnforcer;
import com.example.fanout.local.iam.IamSettings;
import com.example.fanout.local.iam.IamUsage;
import com.example.fanout.local.iam.IamWiring;
import com.example.fanout.local.iam.MappingPermissions;
import com.example.fanout.local.iam.SqsProtocol;
import com.example.fanout.local.eventbridge.TargetRetryPolicy;
import com.example.fanout.local.lambda.FunctionLoader;
import com.example.fanout.local.auth.JwtAuthorizer;
import com.example.fanout.local.auth.LocalIssuer;
import com.example.fanout.local.lambda.FunctionFailures;
import com.example.fanout.local.lambda.HttpApiServer;
import com.example.fanout.local.lambda.LocalFunction;
import com.example.fanout.local.lambda.AsyncInvocations;
import com.example.fanout.local.lambda.Scheduler;
import com.example.fanout.local.lambda.SqsEventSourceMapping;
import com.example.fanout.local.observability.DeliveryMetrics;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.local.observability.Timeline;
import com.example.fanout.local.s3.BucketNotifications;
import com.example.fanout.local.s3.S3Server;
import com.example.fanout.local.servers.Dynalite;
import com.example.fanout.local.servers.ElasticMq;
import com.example.fanout.local.servers.RepoPaths;
import com.example.fanout.local.ses.SentEmail;
import com.example.fanout.local.ses.SesServer;
import com.example.fanout.local.secrets.SecretsServer;
import com.example.fanout.local.sns.DomainTopic;
import com.example.fanout.local.sns.QueueSubscription;
import com.example.fanout.local.sns.SnsApi;
import com.example.fanout.local.lambda.FunctionArns;
import com.example.fanout.local.sqs.QueueRef;
import com.example.fanout.local.sqs.Queues;
import com.example.fanout.local.xray.LocalXRay;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.Catalog.Subscriber;
import com.example.fanout.manifest.Catalog.Subscription;
import com.example.fanout.manifest.ScheduleExpression;
import com.example.fanout.manifest.ServiceManifest;
import com.example.fanout.manifest.ServiceManifest.FunctionSpec;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.FunctionVariable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The whole platform in one JVM, built from the service manifests: the bus and its rules, one SNS
 * topic per publishing service, a queue and DLQ per consumer, tables, buckets, an SES outbox, and every handler
 * found on the class path wired to its trigger. {@link #start()} returns the endpoints;
 * {@link #close()} stops everything, the dynalite child process included.
 */
public final class LocalPlatform implements AutoCloseable {
  private static final java.time.Duration QUEUE_RETENTION =
      java.time.Duration.ofSeconds(com.example.fanout.contract.QueueRetention.QUEUE_SECONDS);
  private static final java.time.Duration DLQ_RETENTION =
      java.time.Duration.ofSeconds(com.example.fanout.contract.QueueRetention.DLQ_SECONDS);

  private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);
  public static final String REGION = AwsClients.REGION.id();
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  /** A persisted part writes what it holds as it stops: given longer, as carrying on would lose it. */
  private static final Duration PERSISTED_STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Builder config;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Map<String, QueueRef> queuesByConsumer = new LinkedHashMap<>();
  private final Map<String, SqsEventSourceMapping> mappings = new LinkedHashMap<>();
  private final Map<String, QueueRef> ruleDlqs = new LinkedHashMap<>();
  private final Map<String, StreamFeed> streamFeeds = new LinkedHashMap<>();
  /** The on-failure DLQ of each asynchronously invoked function (S3-triggered, scheduled), by {@code <service>-<name>}. */
  private final Map<String, QueueRef> asyncDlqs = new LinkedHashMap<>();
  /** Each asynchronously invoked function and its on-failure destination, by function name. */
  private final Map<String, AsyncInvocations.Target> asyncTargets = new LinkedHashMap<>();
  private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
  private final Map<String, QueueRef> streamDlqs = new LinkedHashMap<>();
  private Catalog catalog;
  private LocalClock clock;
  private SpanLog spans;
  private LocalXRay xray;
  private Timeline timeline;
  private EventBus bus;
  private Topics topics = new Topics(Map.of());
  private SqsClient sqs;
  private Queues queues;
  private Scheduler scheduler;
  private AsyncInvocations asyncInvocations;
  private S3Server s3;
  private SesServer ses;
  private EventArchive archive;
  private IamEnforcer iam = IamEnforcer.off();
  private IamWiring iamWiring;
  private LocalIssuer issuer;
  private final FunctionFailures functionFailures = new FunctionFailures();
  private DeliveryAlarmMetrics deliveryAlarms;
  private BucketNotifications notifications;
  private FunctionLoader loader;
  private Endpoints endpoints;
  private LocalAlarms alarms;
  private final StringBuilder phases = new StringBuilder();
  private long phaseStart;

  private LocalPlatform(Builder config) {
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts every part; on failure, stops what had started and rethrows. */
  public synchronized Endpoints start() {
    if (endpoints != null) {
      return endpoints;
    }
    long t0 = System.nanoTime();
    try {
      doStart();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("local platform '{}' ready in {} ms ({})", config.env, (System.nanoTime() - t0) / 1_000_000, phases);
    return endpoints;
  }

  private void phase(String name) {
    long now = System.nanoTime();
    if (phaseStart != 0) {
      phases.append(phases.isEmpty() ? "" : ", ").append(name).append(' ').append((now - phaseStart) / 1_000_000).append(" ms");
    }
    phaseStart = now;
  }

  private void doStart() {
    phase("");
    catalog = Catalog.load(config.servicesDir);
    phase("manifests");
    clock = new LocalClock(config.clockSpeed);
    xray = own(new LocalXRay(0));
    spans = own(new SpanLog(config.dataDir.resolve("traces"), xray.segments()));
    timeline = new Timeline(spans, xray.store());
    archive = own(new EventArchive(config.dataDir.resolve("archive")));

    ElasticMq elasticMq = own(ElasticMq.start(config.ports.sqs(), kept("sqs")));
    sqs = own(AwsClients.sqs(elasticMq.endpoint()));
    queues = new Queues(sqs);
    phase("ElasticMQ");

    Dynalite dynalite = own(Dynalite.start(config.repoRoot != null ? config.repoRoot : RepoPaths.root(), kept("dynamodb")));
    DynamoDbProxy dynamoDb = own(new DynamoDbProxy(dynalite.endpoint(), config.ports.dynamoDb(), REGION, AwsClients.ACCOUNT,
        kept("dynamodb-streams")));
    phase("dynalite");
    try (DynamoDbClient ddb = AwsClients.dynamoDb(dynalite.endpoint())) {
      createTables(ddb);
    }
    phase("tables");

    s3 = own(new S3Server(config.ports.s3(), kept("s3")));
    // Lambda's asynchronous event queue, shared by S3 notifications and schedules; owned once the
    // functions are, so that it stops before them.
    asyncInvocations = new AsyncInvocations(clock);
    notifications = own(new BucketNotifications(s3, asyncInvocations, spans));
    for (ServiceManifest m : catalog.services()) {
      m.buckets().forEach(b -> s3.createBucket(bucketName(m, b.name())));
    }
    s3.createBucket(claimCheckBucket());

    String busName = ResourceNames.bus(config.env);
    deliveryAlarms = new DeliveryAlarmMetrics(busName);
    // Owned before the bus, so stopped after it: the bus's last deliveries still get SNS's retries.
    topics = own(new Topics(new LinkedHashMap<>()));
    // EventBridge and SNS report deliveries to the builder's collector and to the local CloudWatch.
    bus = own(new EventBus(busName, REGION, AwsClients.ACCOUNT, spans, archive, sqs, clock,
        DeliveryMetrics.both(config.deliveryMetrics, deliveryAlarms)));
    SnsApi snsApi = new SnsApi();
    for (ServiceManifest m : catalog.services()) {
      if (!m.publishes().isEmpty()) {
        DomainTopic topic = new DomainTopic(ResourceNames.topic(config.env, m.service()), sqs, spans, config.faults,
            DeliveryMetrics.both(config.deliveryMetrics, deliveryAlarms), clock);
        topics.byService().put(m.service(), topic);
        snsApi.add(topic);
        QueueRef ruleDlq = queues.create(ResourceNames.ruleDlq(config.env, m.service()), Map.of());
        ruleDlqs.put(m.service(), ruleDlq);
        bus.addRule(ResourceNames.rule(config.env, m.service()), m.source(), topic, ruleDlq, config.targetRetry);
      }
    }
    // The on-failure DLQs Terraform gives stream relays, schedules and S3-triggered functions: stream
    // mappings send the batches they give up on, S3 notifications and schedules the events their
    // function failed every attempt of, and the scheduler the runs its role may not invoke.
    for (ServiceManifest m : catalog.services()) {
      m.streams().forEach(st -> streamDlqs.put(m.service() + "-" + st.name(),
          queues.create(ResourceNames.dlq(config.env, m.service(), st.name()), Map.of())));
      m.schedules().forEach(sc -> asyncDlqs.put(m.service() + "-" + sc.name(),
          queues.create(ResourceNames.dlq(config.env, m.service(), sc.name()), Map.of())));
      m.buckets().stream().filter(b -> b.handler() != null).forEach(b -> asyncDlqs.put(m.service() + "-" + b.name(),
          queues.create(ResourceNames.dlq(config.env, m.service(), b.name()), Map.of())));
    }
    for (Subscriber s : catalog.subscribers()) {
      QueueRef queue = queues.createWithDlq(ResourceNames.queue(config.env, s.service().service(), s.consumer().name()),
          s.consumer().queue());
      queuesByConsumer.put(s.qualifiedName(), queue);
      for (Subscription sub : catalog.subscriptionsOf(s)) {
        topics.byService().get(sub.publisher().service()).subscribe(new QueueSubscription(s.qualifiedName(), queue, sub.filterPolicy()));
      }
    }
    if (config.persist) {
      int resumed = bus.keepRetriesIn(config.dataDir.resolve("eventbridge").resolve("retries.jsonl"));
      if (resumed > 0) {
        LOG.info("resumed {} EventBridge deliveries that were waiting for a retry at the last stop", resumed);
      }
      for (DomainTopic topic : topics.byService().values()) {
        int resumedSns = topic.keepRetriesIn(config.dataDir.resolve("sns").resolve(topic.name() + "-retries.jsonl"));
        if (resumedSns > 0) {
          LOG.info("resumed {} SNS deliveries of {} that were waiting for a retry at the last stop", resumedSns, topic.name());
        }
      }
    }
    alarms = own(new LocalAlarms(clock, sqs, AlarmDefinitions.derive(catalog, config.env, AwsClients.ACCOUNT)).start());
    deliveryAlarms.reportTo(alarms.sink());
    phase("queues and topics");
    EventBridgeServer eventBridge = own(new EventBridgeServer(bus, config.ports.eventBridge(), snsApi));
    ses = own(new SesServer(config.ports.ses(), config.dataDir.resolve("outbox"), config.persist));
    SecretsServer secrets = own(new SecretsServer(config.ports.secrets(), REGION, AwsClients.ACCOUNT, kept("secrets")));
    HttpApiServer api = own(new HttpApiServer(config.ports.api(), spans));
    api.observe(alarms::apiResponse);
    ControlServer control = own(new ControlServer(this, config.ports.control()));
    iamWiring = own(IamWiring.wire(config.iam, catalog, config.env, elasticMq.endpoint(), eventBridge, dynamoDb, s3, ses, secrets,
        config.exportSdkProperties));
    iam = iamWiring.enforcer();
    IamEnforcer usage = iam;
    own(() -> IamUsage.write(usage, config.dataDir.resolve("iam").resolve("usage.md")));
    issuer = new LocalIssuer(config.dataDir.resolve("auth").resolve("issuer-key.json"), control.endpoint(), LocalIssuer.audienceOf(config.env));
    api.authorizeWith(new JwtAuthorizer(issuer.issuer(), issuer.audience(), issuer.jwksUri()));
    endpoints = new Endpoints(api.endpoint(), eventBridge.endpoint(), elasticMq.endpoint(), dynamoDb.endpoint(),
        s3.endpoint(), ses.endpoint(), secrets.endpoint(), control.endpoint(), busName);
    if (config.exportSdkProperties) {
      exportSdkProperties(endpoints);
    }

    loader = new FunctionLoader(config.classLoader, xray.lambda());
    IamEnforcer schedulerRoles = iam;
    scheduler = new Scheduler(clock, asyncInvocations, spans, (schedule, action, resource) ->
        schedulerRoles.authorizeSchedule(schedule, List.of(new AuthzRequest(action, resource))).map(Denial::message),
        alarms::scheduleDeadLetterFailed);
    for (ServiceManifest m : catalog.services()) {
      wireFunctions(m, api, dynamoDb);
    }
    // Stopped after the triggers stop taking work, before the functions: an attempt being made finishes.
    own(asyncInvocations);
    if (config.persist) {
      int resumedAsync = asyncInvocations.keepWaitingIn(config.dataDir.resolve("lambda").resolve("async-events.jsonl"),
          name -> Optional.ofNullable(asyncTargets.get(name)));
      if (resumedAsync > 0) {
        LOG.info("resumed {} asynchronous events that were waiting for an attempt at the last stop", resumedAsync);
      }
    }
    // Closed before the mappings: every poller and stream lane stops taking work at once, instead of each in turn as its mapping stops.
    own(() -> {
      mappings.values().forEach(SqsEventSourceMapping::stopReceiving);
      streamFeeds.values().forEach(StreamFeed::stopTaking);
    });
    own(scheduler.start());
    phase("functions");
  }

  private void wireFunctions(ServiceManifest m, HttpApiServer api, DynamoDbProxy dynamoDb) {
    for (ServiceManifest.Consumer c : m.consumers()) {
      String qualified = m.service() + "-" + c.name();
      QueueRef queue = queuesByConsumer.get(qualified);
      Map<String, String> env = environment(m, c.name(), c.function());
      env.put(EnvironmentNames.DLQ_URL, queue.dlqUrl());
      // What Terraform's consumer module sets: SQS's default retention for the queue, the maximum for its DLQ.
      env.put(FunctionVariable.QUEUE_RETENTION_SECONDS.name(), Long.toString(QUEUE_RETENTION.toSeconds()));
      env.put(FunctionVariable.DLQ_RETENTION_SECONDS.name(), Long.toString(DLQ_RETENTION.toSeconds()));
      load(m, c.name(), c.handler(), c.function(), env).ifPresent(fn -> {
        MappingPermissions.require(iam, fn.name(), qualified, MappingPermissions.sqs(REGION, AwsClients.ACCOUNT, queue.name()));
        mappings.put(qualified, own(new SqsEventSourceMapping(
            qualified, queue, c.batch(), c.queue(), c.function().reservedConcurrency(), fn, sqs, spans, config.faults, clock)));
      });
    }
    for (ServiceManifest.HttpApi h : m.http()) {
      LocalFunction fn = load(m, h.name(), h.handler(), h.function(), environment(m, h.name(), h.function())).orElse(null);
      h.routes().forEach(r -> api.bind(r, fn, h.authorization(), ResourceNames.function(config.env, m.service(), h.name())));
    }
    for (ServiceManifest.StreamTrigger st : m.streams()) {
      ServiceManifest.Table table = m.tables().stream().filter(t -> t.name().equals(st.table())).findFirst().orElseThrow();
      String mapping = m.service() + "-" + st.name();
      load(m, st.name(), st.handler(), st.function(), environment(m, st.name(), st.function())).ifPresent(fn -> {
        StreamFeed feed = dynamoDb.addStream(tableName(m, table.name()), table.partitionKey(), table.sortKey(),
            table.streamView(), mapping, st, clock, fn, spans);
        // Stopped here, not with the DynamoDB proxy: a batch being handled at the stop still reaches
        // the proxy and EventBridge, which stop after the functions.
        streamFeeds.put(mapping, own(feed));
        wireStreamFeed(feed, mapping, fn, st);
      });
    }
    for (ServiceManifest.Schedule sc : m.schedules()) {
      ScheduleExpression expression = ScheduleExpression.parse(sc.expression());
      ZoneId zone = sc.zone();
      load(m, sc.name(), sc.handler(), sc.function(), environment(m, sc.name(), sc.function()))
          .ifPresent(fn -> scheduler.schedule(ResourceNames.scheduleGroup(config.env, m.service(), sc.name()),
              ResourceNames.function(config.env, m.service(), sc.name()), expression, zone, fn,
              onFailureDestination(m, sc.name(), fn), scheduleDlq(asyncDlqs.get(m.service() + "-" + sc.name()))));
    }
    for (ServiceManifest.Bucket b : m.buckets()) {
      if (b.handler() != null) {
        load(m, b.name(), b.handler(), b.function(), environment(m, b.name(), b.function()))
            .ifPresent(fn -> notifications.add(bucketName(m, b.name()), b.prefix(), b.suffixes(), fn, onFailureDestination(m, b.name(), fn)));
      }
    }
  }

  /**
   * What the module's event invoke config names for an asynchronously invoked function: its DLQ,
   * which Lambda sends a failed event's record to with the function's role ({@code
   * PutFunctionEventInvokeConfig} checks that the role may).
   */
  private java.util.function.Consumer<String> onFailureDestination(ServiceManifest m, String name, LocalFunction fn) {
    QueueRef dlq = asyncDlqs.get(m.service() + "-" + name);
    MappingPermissions.requireFor(iam, "PutFunctionEventInvokeConfig", fn.name(),
        MappingPermissions.onFailureQueue(REGION, AwsClients.ACCOUNT, dlq.name()));
    java.util.function.Consumer<String> onFailure = sendingTo(dlq, fn.name());
    asyncTargets.put(fn.name(), new AsyncInvocations.Target(fn, onFailure));
    return onFailure;
  }

  /** The schedule's DLQ as EventBridge Scheduler writes it: the run's input, with its attributes. */
  private Scheduler.DeadLetterQueue scheduleDlq(QueueRef dlq) {
    return new Scheduler.DeadLetterQueue(SqsProtocol.queueArn(REGION, AwsClients.ACCOUNT, dlq.name()),
        (body, attributes) -> park(dlq, body, attributes, "a run EventBridge Scheduler could not deliver"));
  }

  /**
   * Sends the records of what {@code function}'s trigger gave up on to {@code dlq}. A send that fails
   * is logged and counted in Lambda's {@code DestinationDeliveryFailures}, and does not stop the trigger.
   */
  private java.util.function.Consumer<String> sendingTo(QueueRef dlq, String function) {
    return record -> {
      if (!park(dlq, record, Map.of(), function + ": a record for the on-failure destination")) {
        alarms.destinationDeliveryFailed(function);
      }
    };
  }

  /**
   * Sends {@code body} with string {@code attributes} to {@code dlq}; a send that fails is logged, with
   * {@code what} was lost. Whether it was sent.
   */
  private boolean park(QueueRef dlq, String body, Map<String, String> attributes, String what) {
    Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
    attributes.forEach((k, v) -> values.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
    try {
      sqs.sendMessage(r -> r.queueUrl(dlq.url()).messageBody(body).messageAttributes(values));
      return true;
    } catch (RuntimeException e) {
      LOG.error("{} could not be sent to {} and is lost: {}", what, dlq.name(), e.toString());
      return false;
    }
  }

  private Optional<LocalFunction> load(ServiceManifest m, String name, String handler, FunctionSpec spec, Map<String, String> env) {
    Optional<LocalFunction> fn = loader.load(ResourceNames.function(config.env, m.service(), name), handler, spec, env).map(this::own);
    fn.ifPresent(f -> {
      f.reportFailuresTo(functionFailures);
      functions.put(f.name(), f);
      f.observe(alarms.invocations());
    });
    return fn;
  }

  /** The function's environment as Terraform sets it (see {@link FunctionEnvironment}). */
  private Map<String, String> environment(ServiceManifest m, String function, FunctionSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(EnvironmentNames.FANOUT_ENV, config.env);
    env.put(EnvironmentNames.FANOUT_SERVICE, m.service());
    env.put(EnvironmentNames.FANOUT_FUNCTION, function);
    env.put(EnvironmentNames.EVENT_BUS_NAME, endpoints.eventBusName());
    env.put(EnvironmentNames.EVENT_SOURCE, m.source());
    env.put(EnvironmentNames.IDEMPOTENCY_TABLE, ResourceNames.idempotencyTable(config.env, m.service()));
    m.tables().forEach(t -> env.put(EnvironmentNames.table(t.name()), tableName(m, t.name())));
    m.buckets().forEach(b -> env.put(EnvironmentNames.bucket(b.name()), bucketName(m, b.name())));
    if (catalog.usesClaimChecks(m, function, spec)) {
      env.put(EnvironmentNames.CLAIM_CHECK_BUCKET, claimCheckBucket());
    }
    env.put(EnvironmentNames.POWERTOOLS_SERVICE_NAME, m.service());
    env.put(EnvironmentNames.POWERTOOLS_METRICS_NAMESPACE, MetricNames.NAMESPACE);
    env.put(EnvironmentNames.POWERTOOLS_LOG_LEVEL, "INFO");
    env.put("AWS_REGION", REGION);
    env.putAll(endpoints.sdkEnvironment());
    env.put("AWS_ACCESS_KEY_ID", IamWiring.accessKeyId(config.env, m, function));
    env.put("AWS_ENDPOINT_URL_SQS", iamWiring.functionsSqsEndpoint(endpoints.sqs()).toString());
    env.putAll(spec.environment());
    env.putAll(config.localEnvironment.forFunction(m.service(), function));
    return env;
  }

  /** Where a part keeps its data across restarts ({@link Builder#persist}), or null to keep it in memory. */
  private Path kept(String part) {
    return config.persist ? config.dataDir.resolve(part) : null;
  }

  private void createTables(DynamoDbClient ddb) {
    for (ServiceManifest m : catalog.services()) {
      for (ServiceManifest.Table t : m.tables()) {
        createTable(ddb, tableName(m, t.name()), t.partitionKey(), t.sortKey());
      }
      createTable(ddb, ResourceNames.idempotencyTable(config.env, m.service()), "id", null);
    }
  }

  private void createTable(DynamoDbClient ddb, String name, String partitionKey, String sortKey) {
    try {
      createNewTable(ddb, name, partitionKey, sortKey);
    } catch (ResourceInUseException exists) {
      if (!config.persist) {
        throw exists;
      }
    }
  }

  private static void createNewTable(DynamoDbClient ddb, String name, String partitionKey, String sortKey) {
    List<AttributeDefinition> attributes = new ArrayList<>();
    List<KeySchemaElement> keys = new ArrayList<>();
    attributes.add(AttributeDefinition.builder().attributeName(partitionKey).attributeType(ScalarAttributeType.S).build());
    keys.add(KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build());
    if (sortKey != null) {
      attributes.add(AttributeDefinition.builder().attributeName(sortKey).attributeType(ScalarAttributeType.S).build());
      keys.add(KeySchemaElement.builder().attributeName(sortKey).keyType(KeyType.RANGE).build());
    }
    ddb.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST").attributeDefinitions(attributes).keySchema(keys));
  }

  private String tableName(ServiceManifest m, String table) {
    return ResourceNames.table(config.env, m.service(), table);
  }

  /** The platform's claim-check bucket (Terraform: modules/platform, claim_check_bucket). */
  public String claimCheckBucket() {
    return config.env + "-fanout-claim-checks-" + AwsClients.ACCOUNT;
  }

  private String bucketName(ServiceManifest m, String bucket) {
    return ResourceNames.bucket(config.env, m.service(), bucket, AwsClients.ACCOUNT);
  }

  /** So that handlers building default SDK clients in this JVM reach the local endpoints. */
  private static void exportSdkProperties(Endpoints e) {
    setIfAbsent("aws.endpointUrlEventBridge", e.eventBridge().toString());
    setIfAbsent("aws.endpointUrlSns", e.eventBridge().toString());
    setIfAbsent("aws.endpointUrlSqs", e.sqs().toString());
    setIfAbsent("aws.endpointUrlDynamoDb", e.dynamoDb().toString());
    setIfAbsent("aws.endpointUrlS3", e.s3().toString());
    setIfAbsent("aws.endpointUrlSesV2", e.ses().toString());
    setIfAbsent("aws.endpointUrlSecretsManager", e.secrets().toString());
    setIfAbsent("aws.endpointUrlSsm", e.secrets().toString());
    setIfAbsent("aws.region", REGION);
    setIfAbsent("aws.accessKeyId", "local");
    setIfAbsent("aws.secretAccessKey", "local");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Each publishing service's SNS topic, by service; stopping it stops them all. */
  private record Topics(Map<String, DomainTopic> byService) implements AutoCloseable {
    int waitingForRetry(String consumer) {
      return byService.values().stream().mapToInt(t -> t.waitingForRetry(consumer)).sum();
    }

    int keptAtStop() {
      return byService.values().stream().mapToInt(DomainTopic::keptAtStop).sum();
    }

    @Override
    public void close() {
      byService.values().forEach(DomainTopic::close);
    }
  }

  private <T extends AutoCloseable> T own(T resource) {
    resources.push(resource);
    return resource;
  }

  public Endpoints endpoints() {
    return Objects.requireNonNull(endpoints, "not started");
  }

  public Catalog catalog() {
    return catalog;
  }

  public Timeline timeline() {
    return timeline;
  }

  /** The traces functions and AWS-service stand-ins recorded, and the daemon stand-in's address. */
  public LocalXRay xray() {
    return xray;
  }

  public SpanLog spans() {
    return spans;
  }

  public LocalClock clock() {
    return clock;
  }

  /** E-mails functions sent through SES, oldest first. */
  public List<SentEmail> emails() {
    return ses.sent();
  }

  /** The bus archive: every event the bus accepted, as {@code <data>/archive/events.jsonl}. */
  public EventArchive archive() {
    return archive;
  }

  /** The environment prefix of every resource ({@code local} for {@code make run}). */
  public String env() {
    return config.env;
  }

  /** Every function's timeouts, crashes and errors, whatever the trigger (the live view shows them). */
  public FunctionFailures functionFailures() {
    return functionFailures;
  }

  /** The local OIDC issuer the HTTP API trusts: mint tokens for tests and the demo. */
  public LocalIssuer issuer() {
    return issuer;
  }

  public Path dataDir() {
    return config.dataDir;
  }

  /** The local IAM check: its mode, the planned roles, and the actions each function used. */
  public IamEnforcer iam() {
    return iam;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public List<String> warnings() {
    return loader == null ? List.of() : loader.warnings();
  }

  /** The consumer's queue (and DLQ) by {@code <service>-<consumer>}. */
  public QueueRef queue(String qualifiedConsumer) {
    return Objects.requireNonNull(queuesByConsumer.get(qualifiedConsumer), "no consumer " + qualifiedConsumer);
  }

  public QueueRef ruleDlq(String publishingService) {
    return Objects.requireNonNull(ruleDlqs.get(publishingService), "no publishing service " + publishingService);
  }

  public Optional<SqsEventSourceMapping> mapping(String qualifiedConsumer) {
    return Optional.ofNullable(mappings.get(qualifiedConsumer));
  }

  /** The local CloudWatch: metrics and alarms. */
  public LocalAlarms alarms() {
    return Objects.requireNonNull(alarms, "not started");
  }

  /** Every loaded function by its physical name ({@code <env>-<service>-<name>}). */
  public Map<String, LocalFunction> functions() {
    return java.util.Collections.unmodifiableMap(functions);
  }

  /**
   * What Terraform configures on a stream mapping beyond batching: IteratorAge for the alarms, the
   * on-failure destination (the trigger's DLQ), and the {@code timeout} fault of the fault plan.
   */
  private void wireStreamFeed(StreamFeed feed, String mapping, LocalFunction fn, ServiceManifest.StreamTrigger st) {
    String function = fn.name();
    QueueRef dlq = streamDlqs.get(mapping);
    feed.observe(alarms::iteratorAge);
    MappingPermissions.require(iam, function, mapping, MappingPermissions.dynamoDbStream(feed.streamArn(), REGION, AwsClients.ACCOUNT,
        dlq.name()));
    feed.sendFailuresTo(FunctionArns.alias(function), sendingTo(dlq, function));
    feed.injectTimeouts(point -> {
      boolean after = point == StreamFeed.TimeoutPoint.AFTER_HANDLER;
      if (!config.faults.streamTimesOut(mapping, after ? FaultPlan.STREAM_TIMEOUT_AFTER : FaultPlan.STREAM_TIMEOUT)) {
        return false;
      }
      fn.recordFailure(FunctionFailures.Kind.TIMEOUT,
          function + ": injected timeout " + (after ? "after the handler ran" : "before the handler got anything done"));
      return true;
    }, st.function().timeoutSeconds());
  }

  /** The on-failure DLQ of each stream mapping, by {@code <service>-<stream>}. */
  public Map<String, QueueRef> streamDlqs() {
    return java.util.Collections.unmodifiableMap(streamDlqs);
  }

  /** The faults being injected; delivery and stream faults can start and end while the platform runs. */
  public FaultPlan faults() {
    return config.faults;
  }

  public Optional<StreamFeed> streamFeed(String qualifiedTrigger) {
    return Optional.ofNullable(streamFeeds.get(qualifiedTrigger));
  }

  /** Sends archived events through the rules again; see {@link EventBus#replay}. */
  public int replay(Instant from, Instant to, String correlationId) {
    return bus.replay(from, to, correlationId);
  }

  /**
   * SNS deliveries waiting for a retry that a persisted platform's stop kept in its data directory,
   * for its next start ({@code <data>/sns/<topic>-retries.jsonl}); 0 before the stop.
   */
  public int snsRetriesKeptAtStop() {
    return topics.keptAtStop();
  }

  /**
   * Events in Lambda's asynchronous queue (S3 notifications, scheduled runs) waiting for an attempt
   * that a persisted platform's stop kept for its next start ({@code <data>/lambda/async-events.jsonl}); 0 before the stop.
   */
  public int asyncEventsKeptAtStop() {
    return asyncInvocations == null ? 0 : asyncInvocations.keptAtStop();
  }

  public List<ConsumerStatus> status() {
    List<ConsumerStatus> out = new ArrayList<>();
    queuesByConsumer.forEach((consumer, queue) -> {
      Queues.QueueDepth d = queues.depth(queue);
      SqsEventSourceMapping m = mappings.get(consumer);
      int snsRetrying = topics.waitingForRetry(consumer);
      out.add(m == null
          ? new ConsumerStatus(consumer, queue.name(), false, d.visible(), d.inFlight(), d.dlq(), snsRetrying, 0, 0, 0, 0, 0, 0)
          : new ConsumerStatus(consumer, queue.name(), true, d.visible(), d.inFlight(), d.dlq(), snsRetrying, m.stats().invocations(),
              m.stats().deleted(), m.stats().failed(), m.stats().throttled(), m.busy(), m.maxConcurrency()));
    });
    return out;
  }

  /**
   * Stops everything in reverse start order. Each part gets {@link #STOP_TIMEOUT}: ElasticMQ's
   * actor system can wait forever when the JVM is already shutting down (Pekko's own hook runs in
   * parallel), and a stuck part must not keep dynalite alive; a persisted platform gives each
   * {@link #PERSISTED_STOP_TIMEOUT}.
   */
  @Override
  public synchronized void close() {
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      Thread stopper = Thread.ofPlatform().daemon().name("stop-" + r.getClass().getSimpleName()).start(() -> {
        try {
          r.close();
        } catch (Exception e) {
          LOG.warn("stopping {} failed: {}", r.getClass().getSimpleName(), e.toString());
        }
      });
      Duration timeout = config.persist ? PERSISTED_STOP_TIMEOUT : STOP_TIMEOUT;
      long started = System.nanoTime();
      try {
        if (!stopper.join(timeout)) {
          LOG.warn("{} did not stop within {}; carrying on", r.getClass().getSimpleName(), timeout);
        } else if (System.nanoTime() - started > Duration.ofSeconds(1).toNanos()) {
          LOG.info("stopping {} took {} ms", r.getClass().getSimpleName(), (System.nanoTime() - started) / 1_000_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static final class Builder {
    private Path servicesDir;
    private String env = "local";
    private Ports ports = Ports.FREE;
    private Path dataDir;
    private double clockSpeed = 1;
    private FaultPlan faults = FaultPlan.none();
    private TargetRetryPolicy targetRetry = TargetRetryPolicy.DEFAULT;
    private DeliveryMetrics deliveryMetrics = DeliveryMetrics.NONE;
    private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
    private Path repoRoot;
    private boolean exportSdkProperties = true;
    private LocalEnvironment localEnvironment = LocalEnvironment.none();
    private IamSettings iam = IamSettings.off();
    private boolean persist;

    public Builder servicesDir(Path value) {
      this.servicesDir = value;
      return this;
    }

    public Builder env(String value) {
      this.env = value;
      return this;
    }

    public Builder ports(Ports value) {
      this.ports = value;
      return this;
    }

    /** Where the archive and the span logs go. */
    public Builder dataDir(Path value) {
      this.dataDir = value;
      return this;
    }

    public Builder clockSpeed(double value) {
      this.clockSpeed = value;
      return this;
    }

    /** The retry policy of every rule's target (default: Terraform's, 185 retries within 24 hours). */
    public Builder targetRetry(TargetRetryPolicy value) {
      this.targetRetry = Objects.requireNonNull(value, "targetRetry");
      return this;
    }

    /** Where EventBridge and SNS report invocations and failed deliveries (for metrics and alarms). */
    public Builder deliveryMetrics(DeliveryMetrics value) {
      this.deliveryMetrics = Objects.requireNonNull(value, "deliveryMetrics");
      return this;
    }

    public Builder faults(FaultPlan value) {
      this.faults = value;
      return this;
    }

    public Builder classLoader(ClassLoader value) {
      this.classLoader = value;
      return this;
    }

    /** The repository root holding node_modules/dynalite; found from the working directory by default. */
    public Builder repoRoot(Path value) {
      this.repoRoot = value;
      return this;
    }

    /** Whether to set the SDK's endpoint system properties for in-process handlers (default true). */
    public Builder exportSdkProperties(boolean value) {
      this.exportSdkProperties = value;
      return this;
    }

    /** Variables added to functions' environment locally (over the manifest's); see {@link LocalEnvironment}. */
    public Builder localEnvironment(LocalEnvironment value) {
      this.localEnvironment = Objects.requireNonNull(value, "localEnvironment");
      return this;
    }

    /** How functions' calls are authorised against their planned roles (off by default; {@link Main}: enforce). */
    public Builder iam(IamSettings value) {
      this.iam = Objects.requireNonNull(value, "iam");
      return this;
    }

    /**
     * Whether queues, tables, streams (with each mapping's checkpoints), buckets, secrets, sent
     * e-mails and EventBridge's pending retries are kept in the data directory, so that a platform
     * started again on it carries on where the last one stopped (default false: every start is empty).
     */
    public Builder persist(boolean value) {
      this.persist = value;
      return this;
    }

    public LocalPlatform build() {
      Objects.requireNonNull(servicesDir, "servicesDir");
      Objects.requireNonNull(dataDir, "dataDir");
      if (!env.matches("[a-z][a-z0-9-]{0,15}")) {
        throw new IllegalArgumentException("env must be a short lower-case name, was '" + env + "'");
      }
      new LocalClock(clockSpeed);
      return new LocalPlatform(this);
    }
  }

}
