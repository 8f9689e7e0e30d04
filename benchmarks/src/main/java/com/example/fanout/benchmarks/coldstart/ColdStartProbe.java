package com.example.fanout.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.runtime.HeldClaim;
import com.example.fanout.runtime.LambdaTraceHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs inside a fresh JVM on a function's own class path (its zip unpacked) and reports, on one
 * {@code PROBE} line: when main started, when the handler was constructed (Lambda's init) and when
 * the first batch of SQS records was handled, all in epoch milliseconds, plus the peak resident
 * memory (VmHWM). Uses only aws-lambda-java-core/events, which every zip carries.
 *
 * <p>Arguments: handler class, file of SQS bodies (one per line) or of HTTP requests, function name,
 * memory MB, the trigger ({@code sqs}: a batch of the bodies; {@code stream}: a batch of stream
 * records; {@code http}: the first request; {@code schedule}: a run of the schedule whose ARN the
 * file holds, as EventBridge Scheduler fills in its Scheduled Event; {@code s3}: an ObjectCreated
 * notification of the bucket and key on the file's two lines, as S3 invokes the function; {@code
 * init}: none, the run ends after init and priming), and
 * optionally {@code primed}: run the handler's SnapStart priming between init and the batch; {@code
 * warm}: after the measured batch, handle the same event {@link #WARM_BATCHES} more times and report
 * the median of the last ({@code warmMicros}), the peak memory still read after the first; {@code
 * poison} (an SQS consumer's): then handle a batch of one unreadable record, which the consumer
 * moves to its DLQ, and report how long it took ({@code poisonMicros}) and whether it was reported
 * failed instead ({@code poisonFailures}): a warm function's first poison message; {@code held} (an
 * SQS consumer's): then handle a batch of one record whose idempotency claim another execution holds
 * (the first body, its event id {@link HeldClaim#EVENT_ID}, whose claim the
 * stub refuses as DynamoDB does), which a consumer that keeps idempotency records reports failed for
 * a retry, and report how long it took ({@code heldMicros}) and how many records were reported
 * failed ({@code heldFailures}): a warm function's first retry.
 */
public final class ColdStartProbe {
  private ColdStartProbe() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    RequestHandler handler = (RequestHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
    long init = System.currentTimeMillis();
    List<String> options = List.of(args).subList(4, args.length);
    if (options.contains("primed")) {
      primeAsBeforeASnapshot(handler);
    }
    long primed = System.currentTimeMillis();
    if (options.contains("init")) {
      report(main, init, primed, primed, peakKb(), 0, 0, 0, 0, 0, 0);
      return;
    }
    Invocation invocation = invocation(handler, args, options, main);
    int failures = invocation.invoke();
    long done = System.currentTimeMillis();
    long hwmKb = peakKb();
    long warmMicros = options.contains("warm") ? warmBatchMicros(invocation) : 0;
    long poisonMicros = 0;
    int poisonFailures = 0;
    if (options.contains("poison")) {
      long start = System.nanoTime();
      poisonFailures = poisonBatch(handler, args[2], Integer.parseInt(args[3]), main);
      poisonMicros = (System.nanoTime() - start) / 1_000;
    }
    long heldMicros = 0;
    int heldFailures = 0;
    if (options.contains("held")) {
      long start = System.nanoTime();
      heldFailures = heldBatch(handler, args[1], args[2], Integer.parseInt(args[3]), main);
      heldMicros = (System.nanoTime() - start) / 1_000;
    }
    report(main, init, primed, done, hwmKb, failures, warmMicros, poisonMicros, poisonFailures, heldMicros, heldFailures);
  }

  /** The body of the poison record: not JSON, so that every consumer moves it to its DLQ unread. */
  static final String POISON_BODY = "a poison message: not JSON";

  /** A batch of one poison record; returns how many records the consumer reported failed (0 once dead-lettered). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int poisonBatch(RequestHandler handler, String name, int memoryMb, long main) {
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(sqsRecord("msg-poison", POISON_BODY, name, main)));
    Object response = handler.handleRequest(event, context(name, memoryMb));
    return response instanceof SQSBatchResponse r && r.getBatchItemFailures() != null ? r.getBatchItemFailures().size() : 1;
  }

  /** A batch of the first body, its event id one whose claim another execution holds; returns how many records the consumer reported failed. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int heldBatch(RequestHandler handler, String bodies, String name, int memoryMb, long main) throws IOException {
    String first = Files.readAllLines(Path.of(bodies), StandardCharsets.UTF_8).getFirst();
    // The envelope's id, as EventIds makes it; compiled here, not in a static field, so that the measured start loads no regex.
    Matcher id = Pattern.compile("\"id\":\"evt_[0-9a-f]{32}\"").matcher(first);
    if (!id.find()) {
      throw new IllegalArgumentException("no event id in the first body: " + first);
    }
    String held = id.replaceFirst(Matcher.quoteReplacement("\"id\":\"" + HeldClaim.EVENT_ID + "\""));
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(sqsRecord("msg-held", held, name, main)));
    Object response = handler.handleRequest(event, context(name, memoryMb));
    return response instanceof SQSBatchResponse r && r.getBatchItemFailures() != null ? r.getBatchItemFailures().size() : 0;
  }

  /** One invocation of the handler with the probe's event; returns the records it failed (or 1 for an API's error). */
  @FunctionalInterface
  interface Invocation {
    int invoke() throws Exception;
  }

  /** Batches the probe runs after the measured one when asked for {@code warm}, and how many of the last it takes the median of. */
  public static final int WARM_BATCHES = 30;
  public static final int WARM_MEASURED = 20;

  /**
   * The same event handled {@link #WARM_BATCHES} more times, as a warm container handles its next
   * batches on kept-alive connections: the median of the last {@link #WARM_MEASURED}, in microseconds.
   * What the first batch would cost with every connection open and its code compiled as far as
   * Lambda's JIT flags let it: the least a restored snapshot's first batch could cost.
   */
  private static long warmBatchMicros(Invocation invocation) throws Exception {
    long[] micros = new long[WARM_BATCHES];
    for (int i = 0; i < WARM_BATCHES; i++) {
      long start = System.nanoTime();
      invocation.invoke();
      micros[i] = (System.nanoTime() - start) / 1_000;
    }
    long[] last = Arrays.copyOfRange(micros, WARM_BATCHES - WARM_MEASURED, WARM_BATCHES);
    Arrays.sort(last);
    return (last[WARM_MEASURED / 2 - 1] + last[WARM_MEASURED / 2]) / 2;
  }

  /**
   * The invocation of {@code handler} with the probe's event for the trigger {@code options} name,
   * after which the X-Ray SDK reads the trace header of a sampled request: every function deploys
   * with active tracing, so the runtime gives each invocation one, whatever its trigger.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Invocation invocation(RequestHandler handler, String[] args, List<String> options, long main) throws Exception {
    String name = args[2];
    int memoryMb = Integer.parseInt(args[3]);
    System.setProperty(LambdaTraceHeaders.SYSTEM_PROPERTY,
        "Root=1-" + Long.toHexString(main / 1000) + "-" + "0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1");
    if (options.contains("stream")) {
      DynamodbEvent batch = streamBatch(Path.of(args[1]), name);
      return () -> {
        StreamsEventResponse answer = (StreamsEventResponse) handler.handleRequest(batch, context(name, memoryMb));
        return answer.getBatchItemFailures() == null ? -1 : answer.getBatchItemFailures().size();
      };
    }
    if (options.contains("schedule")) {
      ScheduledEvent run = scheduledRun(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8).strip());
      return () -> failedInvocation(() -> handler.handleRequest(run, context(name, memoryMb)));
    }
    if (options.contains("s3")) {
      List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
      S3Event created = objectCreated(lines.get(0), lines.get(1));
      return () -> failedInvocation(() -> handler.handleRequest(created, context(name, memoryMb)));
    }
    if (options.contains("http")) {
      // One invocation, one request: an HTTP API's cold start ends with its first response.
      APIGatewayV2HTTPEvent request = firstRequest(Path.of(args[1]));
      return () -> {
        APIGatewayV2HTTPResponse answer = (APIGatewayV2HTTPResponse) handler.handleRequest(request, context(name, memoryMb));
        return answer.getStatusCode() >= 400 ? 1 : 0;
      };
    }
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    int i = 0;
    for (String body : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
      records.add(sqsRecord("msg-" + i++, body, name, main));
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return () -> {
      Object response = handler.handleRequest(event, context(name, memoryMb));
      return response instanceof SQSBatchResponse r && r.getBatchItemFailures() != null ? r.getBatchItemFailures().size() : -1;
    };
  }

  /** A record of the function's queue as Lambda's SQS event source delivers it, received once. */
  private static SQSEvent.SQSMessage sqsRecord(String id, String body, String name, long sent) {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId(id);
    m.setReceiptHandle("rh-" + id);
    m.setBody(body);
    Map<String, String> attributes = new HashMap<>();
    attributes.put("ApproximateReceiveCount", "1");
    attributes.put("SentTimestamp", Long.toString(sent));
    m.setAttributes(attributes);
    m.setMessageAttributes(new HashMap<>());
    m.setEventSource("aws:sqs");
    m.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:" + name);
    m.setAwsRegion("us-east-1");
    return m;
  }

  /** 1 when an asynchronously invoked function fails its invocation (Lambda would retry it), else 0. */
  private static int failedInvocation(Runnable invocation) {
    try {
      invocation.run();
      return 0;
    } catch (RuntimeException e) {
      System.err.println("PROBE invocation failed: " + e);
      return 1;
    }
  }

  /** A run of the schedule, as the input Terraform gives its target reaches the function once the scheduler filled it in. */
  private static ScheduledEvent scheduledRun(String scheduleArn) {
    ScheduledEvent run = new ScheduledEvent();
    run.setVersion("0");
    run.setId("probe-run-" + System.nanoTime());
    run.setDetailType("Scheduled Event");
    run.setSource("aws.scheduler");
    run.setAccount("000000000000");
    run.setRegion("us-east-1");
    run.setResources(List.of(scheduleArn));
    run.setDetail(new HashMap<>());
    return run;
  }

  /** S3's notification of one object created (a PUT), as it invokes the bucket's function. */
  private static S3Event objectCreated(String bucket, String key) {
    var object = new S3EventNotification.S3ObjectEntity(key, 600L, "etag", null, "0055AED6DCD90281E5");
    var entity = new S3EventNotification.S3Entity("probe", new S3EventNotification.S3BucketEntity(bucket,
        new S3EventNotification.UserIdentityEntity("A3NL1KOZZKExample"), "arn:aws:s3:::" + bucket), object, "1.0");
    var record = new S3EventNotification.S3EventNotificationRecord("us-east-1", "ObjectCreated:Put", "aws:s3",
        java.time.Instant.now().toString(), "2.1", new S3EventNotification.RequestParametersEntity("127.0.0.1"),
        new S3EventNotification.ResponseElementsEntity("probe", "probe"), entity,
        new S3EventNotification.UserIdentityEntity("AWS:probe"));
    return new S3Event(List.of(record));
  }

  /**
   * A batch of INSERT records (NEW_AND_OLD_IMAGES) as the table's stream delivers it, each item holding
   * one entry in its {@code outbox}; per file line: the item's key, the event id, the envelope.
   */
  private static DynamodbEvent streamBatch(Path file, String name) throws Exception {
    List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
    int sequence = 1;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", 3);
      Map<String, AttributeValue> image = new HashMap<>();
      image.put("pk", new AttributeValue().withS(f[0]));
      image.put("outbox", new AttributeValue().withM(Map.of(f[1], new AttributeValue().withS(f[2]))));
      DynamodbEvent.DynamodbStreamRecord r = new DynamodbEvent.DynamodbStreamRecord();
      r.setEventName("INSERT");
      r.setEventSource("aws:dynamodb");
      r.setAwsRegion("us-east-1");
      r.setEventSourceARN("arn:aws:dynamodb:us-east-1:000000000000:table/" + name + "/stream/2026-01-01T00:00:00.000");
      r.setDynamodb(new StreamRecord().withKeys(Map.of("pk", new AttributeValue().withS(f[0]))).withNewImage(image)
          .withSequenceNumber(Integer.toString(sequence++)).withStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
      records.add(r);
    }
    DynamodbEvent event = new DynamodbEvent();
    event.setRecords(records);
    return event;
  }

  private static void report(long main, long init, long primed, long done, long hwmKb, int failures, long warmMicros,
      long poisonMicros, int poisonFailures, long heldMicros, int heldFailures) {
    System.out.println("PROBE main=" + main + " init=" + init + " primed=" + primed + " done=" + done + " hwmKb=" + hwmKb
        + " failures=" + failures + " warmMicros=" + warmMicros + " poisonMicros=" + poisonMicros
        + " poisonFailures=" + poisonFailures + " heldMicros=" + heldMicros + " heldFailures=" + heldFailures);
    System.out.flush();
    System.exit(0);
  }

  /**
   * The request the file holds (its route key on the first line, the caller's subject on the second,
   * the body after them), as API Gateway (payload 2.0) passes it after its JWT authorizer let a token
   * of that subject through.
   */
  private static APIGatewayV2HTTPEvent firstRequest(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String routeKey = lines.get(0);
    String subject = lines.get(1);
    String body = String.join("\n", lines.subList(2, lines.size()));
    String method = routeKey.substring(0, routeKey.indexOf(' '));
    String path = routeKey.substring(routeKey.indexOf(' ') + 1);
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0").withRouteKey(routeKey).withRawPath(path).withIsBase64Encoded(false)
        .withHeaders(Map.of("content-type", "application/json", "idempotency-key", "probe-" + System.nanoTime()))
        .withBody(body)
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withRequestId("probe-request").withRouteKey(routeKey)
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
            .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                    .withClaims(Map.of("sub", subject)).build())
                .build())
            .build())
        .build();
  }

  /**
   * What SnapStart does before it takes the snapshot: {@code beforeCheckpoint} of every CRaC resource
   * the function registered, its priming. Outside a CRaC JVM the global context cannot be notified, so
   * the resources are found where the function keeps them: the handler itself and its fields (an HTTP
   * handler's runtime). Found by name, so the floor, which has no CRaC on its class path, needs none.
   */
  private static void primeAsBeforeASnapshot(Object handler) throws Exception {
    List<Object> candidates = new ArrayList<>();
    candidates.add(handler);
    for (Class<?> c = handler.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (java.lang.reflect.Field f : c.getDeclaredFields()) {
        if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
          f.setAccessible(true);
          Object value = f.get(handler);
          if (value != null && candidates.stream().noneMatch(o -> o == value)) {
            candidates.add(value);
          }
        }
      }
    }
    for (Object resource : candidates) {
      for (java.lang.reflect.Method m : resource.getClass().getMethods()) {
        if (m.getName().equals("beforeCheckpoint") && m.getParameterCount() == 1) {
          m.invoke(resource, new Object[] {null});
          break;
        }
      }
    }
  }

  private static long peakKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  private static Context context(String name, int memoryMb) {
    long deadline = System.currentTimeMillis() + 30_000;
    return new Context() {
      public String getAwsRequestId() { return "probe-request"; }
      public String getLogGroupName() { return "/aws/lambda/" + name; }
      public String getLogStreamName() { return "probe"; }
      public String getFunctionName() { return name; }
      public String getFunctionVersion() { return "$LATEST"; }
      public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + name; }
      public CognitoIdentity getIdentity() { return null; }
      public ClientContext getClientContext() { return null; }
      public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
      public int getMemoryLimitInMB() { return memoryMb; }
      public LambdaLogger getLogger() {
        return new LambdaLogger() {
          public void log(String message) { System.out.println(message); }
          public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
        };
      }
    };
  }
}
