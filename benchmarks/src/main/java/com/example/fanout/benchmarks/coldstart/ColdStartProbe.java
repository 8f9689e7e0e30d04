package com.example.fanout.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs inside a fresh JVM on a function's own class path (its zip unpacked) and reports, on one
 * {@code PROBE} line: when main started, when the handler was constructed (Lambda's init) and when
 * the first batch of SQS records was handled, all in epoch milliseconds, plus the peak resident
 * memory (VmHWM). Uses only aws-lambda-java-core/events, which every zip carries.
 *
 * <p>Arguments: handler class, file of SQS bodies (one per line), function name, memory MB, and
 * optionally {@code primed}: run the handler's SnapStart priming between init and the batch.
 */
public final class ColdStartProbe {
  private ColdStartProbe() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    RequestHandler handler = (RequestHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
    long init = System.currentTimeMillis();
    if (args.length > 4 && args[4].equals("primed")) {
      primeAsBeforeASnapshot(handler);
    }
    long primed = System.currentTimeMillis();
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    int i = 0;
    for (String body : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
      SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
      m.setMessageId("msg-" + i++);
      m.setReceiptHandle("rh-" + i);
      m.setBody(body);
      Map<String, String> attributes = new HashMap<>();
      attributes.put("ApproximateReceiveCount", "1");
      attributes.put("SentTimestamp", Long.toString(main));
      m.setAttributes(attributes);
      m.setMessageAttributes(new HashMap<>());
      m.setEventSource("aws:sqs");
      m.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:" + args[2]);
      m.setAwsRegion("us-east-1");
      records.add(m);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    // As the java21 runtime does per invocation: the trace header of a sampled request, read by the X-Ray SDK.
    System.setProperty("com.amazonaws.xray.traceHeader",
        "Root=1-" + Long.toHexString(main / 1000) + "-" + "0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1");
    Object response = handler.handleRequest(event, context(args[2], Integer.parseInt(args[3])));
    long done = System.currentTimeMillis();
    int failures = response instanceof SQSBatchResponse r && r.getBatchItemFailures() != null ? r.getBatchItemFailures().size() : -1;
    System.out.println("PROBE main=" + main + " init=" + init + " primed=" + primed + " done=" + done + " hwmKb=" + peakKb() + " failures=" + failures);
    System.out.flush();
    System.exit(0);
  }

  /**
   * What SnapStart does before it takes the snapshot: the handler's CRaC {@code beforeCheckpoint}
   * (its priming). Found by name, so the floor, which has no CRaC on its class path, needs none.
   */
  private static void primeAsBeforeASnapshot(Object handler) throws Exception {
    for (java.lang.reflect.Method m : handler.getClass().getMethods()) {
      if (m.getName().equals("beforeCheckpoint") && m.getParameterCount() == 1) {
        m.invoke(handler, new Object[] {null});
        return;
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
