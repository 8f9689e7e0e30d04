package com.example.fanout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.contract.MetricNames;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.ManifestLoader;
import com.example.fanout.manifest.ServiceManifest;
import com.example.fanout.manifest.ServiceManifest.FunctionSpec;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.HttpApiHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checks every service runs on its own {@code service.yaml} with its own classes: extend it with
 * an empty {@code ManifestTest} in the service module. Handlers are built with their no-arg
 * constructors in the environment Terraform would give them; the AWS endpoint points at a closed
 * port, so anything that reaches AWS fails fast instead of leaving the machine.
 */
public abstract class ServiceManifestContract {
  private static final Map<String, String> SDK_PROPERTIES = Map.of(
      "aws.region", "us-east-1", "aws.accessKeyId", "local", "aws.secretAccessKey", "local",
      "aws.endpointUrl", "http://127.0.0.1:9", "aws.maxAttempts", "1");
  private final Map<String, String> previous = new HashMap<>();

  protected ServiceManifest manifest() {
    return ManifestLoader.load(Path.of("service.yaml"));
  }

  @BeforeEach
  void offlineSdk() {
    SDK_PROPERTIES.forEach((k, v) -> {
      previous.put(k, System.getProperty(k));
      System.setProperty(k, v);
    });
  }

  @AfterEach
  void restoreSdk() {
    previous.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
  }

  @Test
  void manifest_shouldNameOnlyExistingHandlers_whenLoadedWithTheServiceClasses() {
    ServiceManifest manifest = manifest();

    assertThat(ManifestLoader.missingHandlers(manifest, "service.yaml", getClass().getClassLoader())).isEmpty();
  }

  @Test
  void consumers_shouldRegisterExactlyTheManifestsEventTypes_whenBuiltAsLambdaBuildsThem() {
    ServiceManifest manifest = manifest();
    for (ServiceManifest.Consumer consumer : manifest.consumers()) {
      EventConsumer handler = (EventConsumer) build(manifest, consumer.name(), consumer.handler(), consumer.function());

      assertThat(handler.registeredEventTypes()).as(consumer.handler())
          .containsExactlyInAnyOrderElementsOf(new LinkedHashSet<>(consumer.on()));
      handler.checkRegistrations();
    }
  }

  @Test
  void httpApis_shouldServeExactlyTheManifestsRoutes_whenBuiltAsLambdaBuildsThem() {
    ServiceManifest manifest = manifest();
    for (ServiceManifest.HttpApi api : manifest.http()) {
      Object handler = build(manifest, api.name(), api.handler(), api.function());

      assertThat(handler).as(api.handler() + " routes through runtime.HttpRoutes, whose keys the manifest's routes are compared with")
          .isInstanceOf(HttpApiHandler.class);
      assertThat(((HttpApiHandler) handler).routes().keys()).as("routes of http " + api.name() + ": " + api.handler()
              + " serves (left) and the manifest lists (right)")
          .containsExactlyInAnyOrderElementsOf(api.routes().stream().map(ServiceManifest.Route::toString).toList());
    }
  }

  @Test
  void handlerClasses_shouldEachBeWiredUnderTheTriggerOfTheirInputType_inBothDirections() throws Exception {
    ServiceManifest manifest = manifest();
    Map<String, String> wired = new TreeMap<>();
    manifest.consumers().forEach(c -> wired.put(c.handler(), "sqs"));
    manifest.http().forEach(h -> wired.put(h.handler(), "http"));
    manifest.streams().forEach(s -> wired.put(s.handler(), "stream"));
    manifest.schedules().forEach(s -> wired.put(s.handler(), "schedule"));
    manifest.buckets().stream().filter(b -> b.handler() != null).forEach(b -> wired.put(b.handler(), "s3"));

    Map<String, String> inCode = new TreeMap<>();
    for (Class<?> handler : handlerClassesOf(Path.of("target", "classes"))) {
      inCode.put(handler.getName(), triggerOf(handler));
    }

    assertThat(inCode).as("Lambda handler classes of the service, by the trigger their input type is for (left),"
        + " and the manifest's handlers by the section that wires them (right)").isEqualTo(wired);
  }

  /** The trigger a handler's input type is for: what Lambda would deserialise the event into. */
  static String triggerOf(Class<?> handler) {
    if (EventConsumer.class.isAssignableFrom(handler)) {
      return "sqs";
    }
    Type input = inputType(handler);
    Map<Type, String> triggers = Map.of(SQSEvent.class, "sqs", APIGatewayV2HTTPEvent.class, "http", DynamodbEvent.class, "stream",
        ScheduledEvent.class, "schedule", S3Event.class, "s3");
    return triggers.getOrDefault(input, "input " + input.getTypeName());
  }

  private static Type inputType(Class<?> handler) {
    for (Class<?> c = handler; c != null; c = c.getSuperclass()) {
      for (Type t : c.getGenericInterfaces()) {
        if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
          return p.getActualTypeArguments()[0];
        }
      }
    }
    return Object.class;
  }

  private List<Class<?>> handlerClassesOf(Path classes) throws Exception {
    assertThat(classes).as("the service's compiled classes (the test runs in the service module)").isDirectory();
    List<Class<?>> out = new ArrayList<>();
    try (var files = Files.walk(classes)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$")).toList()) {
        String name = classes.relativize(f).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, false, getClass().getClassLoader());
        if (RequestHandler.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers()) && !c.isInterface()) {
          out.add(c);
        }
      }
    }
    return out;
  }

  @Test
  void everyHandler_shouldLogItsInvocationWithTheCorrelationIdOfWhatItHandles_whateverItsTrigger() {
    ServiceManifest manifest = manifest();
    List<Invocation> invocations = invocations(manifest);
    assertThat(invocations).hasSize(manifest.handlerClassesByPath().size());
    for (Invocation invocation : invocations) {
      try (StdoutCapture out = new StdoutCapture()) {
        try {
          invocation.handler().handleRequest(invocation.input(), new TestLambdaContext("dev-" + manifest.service() + "-" + invocation.function()));
        } catch (RuntimeException expected) {
          // The closed endpoint fails what needs AWS; the invocation was logged before that.
        }
        List<JsonNode> lines = out.jsonLines().stream().filter(l -> l.has("level")).toList();
        assertThat(lines).as(invocation.function() + " (" + invocation.trigger() + ") logs with its correlation id")
            .anySatisfy(line -> {
              assertThat(line.path("correlation_id").asText()).isEqualTo(invocation.correlationId());
              assertThat(line.path("service").asText()).isEqualTo(manifest.service());
              assertThat(line.path("function_request_id").asText()).isNotBlank();
            });
        if (!invocation.trigger().equals("sqs")) {
          assertThat(out.jsonLines().stream().filter(l -> l.has("_aws")).toList())
              .as(invocation.function() + " (" + invocation.trigger() + ") writes its EMF document"
                  + " (outside Lambda the module's surefire sets AWS_EMF_ENVIRONMENT=Local)")
              .anySatisfy(emf -> {
                assertThat(emf.path(MetricNames.FUNCTION_DIMENSION).asText()).isEqualTo(manifest.service() + "." + invocation.function());
                assertThat(emf.path(MetricNames.TRIGGER_PROPERTY).asText()).isEqualTo(invocation.trigger());
              });
        }
      }
    }
  }

  private record Invocation(String function, String trigger, RequestHandler<Object, Object> handler, Object input, String correlationId) {}

  private List<Invocation> invocations(ServiceManifest m) {
    List<Invocation> out = new ArrayList<>();
    for (ServiceManifest.Consumer c : m.consumers()) {
      String correlation = "corr-" + c.name();
      out.add(new Invocation(c.name(), "sqs", build(m, c.name(), c.handler(), c.function()), sqsBatch(c.on().get(0), correlation), correlation));
    }
    for (ServiceManifest.HttpApi h : m.http()) {
      String correlation = "req-" + h.name();
      APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
      event.setRawPath("/_no-such-route");
      event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId(correlation)
          .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").withPath("/_no-such-route").build())
          .build());
      out.add(new Invocation(h.name(), "http", build(m, h.name(), h.handler(), h.function()), event, correlation));
    }
    for (ServiceManifest.StreamTrigger s : m.streams()) {
      String correlation = "ord_Stream" + s.name().replaceAll("[^A-Za-z0-9]", "");
      StreamRecord change = new StreamRecord();
      change.setSequenceNumber("1");
      change.setKeys(Map.of("pk", new AttributeValue().withS(correlation)));
      change.setNewImage(Map.of("pk", new AttributeValue().withS(correlation)));
      change.setOldImage(Map.of("pk", new AttributeValue().withS(correlation)));
      DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
      record.setEventName("MODIFY");
      record.setDynamodb(change);
      DynamodbEvent event = new DynamodbEvent();
      event.setRecords(List.of(record));
      out.add(new Invocation(s.name(), "stream", build(m, s.name(), s.handler(), s.function()), event, correlation));
    }
    for (ServiceManifest.Schedule s : m.schedules()) {
      String correlation = "sched-" + s.name();
      ScheduledEvent event = new ScheduledEvent();
      event.setId(correlation);
      event.setDetail(Map.of());
      out.add(new Invocation(s.name(), "schedule", build(m, s.name(), s.handler(), s.function()), event, correlation));
    }
    for (ServiceManifest.Bucket b : m.buckets()) {
      if (b.handler() == null) {
        continue;
      }
      String correlation = "imports/corr-" + b.name() + ".ndjson";
      S3EventNotification.S3Entity entity = new S3EventNotification.S3Entity("config",
          new S3EventNotification.S3BucketEntity("some-other-bucket", null, "arn:aws:s3:::some-other-bucket"),
          new S3EventNotification.S3ObjectEntity(correlation, 1L, "etag", null, "0"), "1.0");
      S3Event event = new S3Event(List.of(new S3EventNotification.S3EventNotificationRecord("us-east-1",
          "ObjectCreated:Put", "aws:s3", "2026-03-01T10:00:00.000Z", "2.1", null, null, entity, null)));
      out.add(new Invocation(b.name(), "s3", build(m, b.name(), b.handler(), b.function()), event, correlation));
    }
    return out;
  }

  /** One SQS record carrying an envelope of {@code type} whose data no schema accepts: the runtime refuses it. */
  private static com.amazonaws.services.lambda.runtime.events.SQSEvent sqsBatch(String type, String correlationId) {
    String source = Catalog.fromClasspath().publisherOf(type).map(ServiceManifest::source).orElse("com.example.unknown");
    Envelope envelope = new Envelope("evt_contract0000000000000000000001", type, 1, source,
        Instant.parse("2026-03-01T10:00:00Z"), correlationId, null, EventJson.parse("{}"));
    return Messages.batch(Messages.record(Messages.eventBridgeEvent(envelope)));
  }

  /**
   * The function's catalog slice, bundled by the build: exactly the files {@link Catalog#slice} names
   * (its manifest, what it publishes, what its consumers receive), the schemas byte for byte and the
   * manifests as the JSON of their YAML, and nothing else; and it is what the function's runtime loads.
   */
  @Test
  void bundledCatalogSlice_shouldHoldExactlyWhatTheServicePublishesAndConsumes() throws Exception {
    ServiceManifest manifest = manifest();
    String service = manifest.service();
    Path slice = Path.of("target", "classes", Catalog.SLICE_ROOT, service);
    Path services = Path.of("..").toAbsolutePath().normalize(); // the service module is services/<service>
    List<String> sources = Catalog.load(services).slice(service);
    List<String> expected = sources.stream().map(Catalog::inSlice).sorted().toList();
    List<String> bundled;
    try (var files = Files.walk(slice)) {
      bundled = files.filter(Files::isRegularFile).map(f -> slice.relativize(f).toString().replace('\\', '/')).sorted().toList();
    }

    assertThat(bundled).as("files in " + slice).containsExactlyElementsOf(expected);
    for (String file : sources) {
      Path bundledFile = slice.resolve(Catalog.inSlice(file));
      if (file.endsWith("/" + Catalog.MANIFEST)) {
        assertThat(Files.readString(bundledFile)).as(bundledFile + " is stale").isEqualTo(com.example.fanout.manifest.ManifestLoader.toJson(services.resolve(file)));
      } else {
        assertThat(Files.mismatch(bundledFile, services.resolve(file))).as(file + " is stale").isEqualTo(-1L);
      }
    }
    Catalog loaded = Catalog.forService(service);
    assertThat(loaded.sliceOf()).as("the runtime's catalog of " + service).contains(service);
    for (ServiceManifest.Consumer c : manifest.consumers()) {
      for (String type : c.on()) {
        assertThat(loaded.publication(type)).as(type + ", received by " + c.name()).isPresent();
      }
    }
    manifest.publishes().forEach(p -> assertThat(loaded.schemaFile(p.type(), p.version())).as(p.type()).isPresent());
  }

  @SuppressWarnings("unchecked")
  private static <T> T build(ServiceManifest m, String function, String handlerClass, FunctionSpec spec) {
    Map<String, String> env = environment(m, function, spec);
    return FunctionEnvironment.with(env, () -> {
      try {
        return (T) Class.forName(handlerClass).getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new AssertionError("cannot build " + handlerClass + " with its no-arg constructor", e);
      }
    });
  }

  /** What the service module of Terraform sets for one function of the manifest. */
  private static Map<String, String> environment(ServiceManifest m, String function, FunctionSpec spec) {
    Map<String, String> env = LambdaEnvironments.consumer(m.service(), function);
    for (ServiceManifest.Table t : m.tables()) {
      env.put("TABLE_" + FunctionEnvironment.upperSnake(t.name()), "dev-" + m.service() + "-" + t.name());
    }
    for (ServiceManifest.Bucket b : m.buckets()) {
      env.put("BUCKET_" + FunctionEnvironment.upperSnake(b.name()), "dev-" + m.service() + "-" + b.name() + "-000000000000");
    }
    if (spec != null) {
      env.putAll(spec.environment());
    }
    return env;
  }

}
