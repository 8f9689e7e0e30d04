package com.example.fanout.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Lambda {@link Context} of one local invocation: remaining time counts down from the manifest timeout. */
final class LocalContext implements Context {
  private final String requestId;
  private final String functionName;
  private final int memoryMb;
  private final long deadlineNanos;
  private final String traceHeader;
  private final Logger log;

  LocalContext(String requestId, String functionName, int memoryMb, int timeoutSeconds, String traceHeader) {
    this.requestId = requestId;
    this.functionName = functionName;
    this.memoryMb = memoryMb;
    this.deadlineNanos = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    this.traceHeader = traceHeader;
    this.log = LoggerFactory.getLogger("function." + functionName);
  }

  @Override public String getAwsRequestId() { return requestId; }
  @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
  @Override public String getLogStreamName() { return "local/[$LATEST]" + requestId.substring(0, 8); }
  @Override public String getFunctionName() { return functionName; }
  @Override public String getFunctionVersion() { return "$LATEST"; }
  @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName; }
  @Override public CognitoIdentity getIdentity() { return null; }
  @Override public ClientContext getClientContext() { return null; }
  @Override public int getMemoryLimitInMB() { return memoryMb; }
  @Override public String getXrayTraceId() { return traceHeader; }

  @Override
  public int getRemainingTimeInMillis() {
    return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        log.info(message.stripTrailing());
      }

      @Override
      public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
