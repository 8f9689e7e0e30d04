package com.example.fanout.runtime;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The Lambda context of a priming invocation: the function's name, version and memory as Lambda sets
 * them in its environment, a request id that names priming, and the time a function's invocation has
 * at most. Its logger drops what it is given, as the invocation's other output is dropped ({@link PrimingOutput}).
 */
final class PrimingContext implements Context {
  /** Lambda's longest invocation. */
  private static final int REMAINING_MILLIS = 900_000;
  private static final LambdaLogger DROPPED = new LambdaLogger() {
    @Override
    public void log(String message) {}

    @Override
    public void log(byte[] message) {}
  };

  private final String requestId;
  private final String functionName = FunctionEnvironment.get("AWS_LAMBDA_FUNCTION_NAME").orElse("prime");

  PrimingContext(int invocation) {
    this.requestId = "prime-" + invocation;
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return FunctionEnvironment.get("AWS_LAMBDA_LOG_GROUP_NAME").orElse("/aws/lambda/" + functionName);
  }

  @Override
  public String getLogStreamName() {
    return FunctionEnvironment.get("AWS_LAMBDA_LOG_STREAM_NAME").orElse("prime");
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return FunctionEnvironment.get("AWS_LAMBDA_FUNCTION_VERSION").orElse("$LATEST");
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:" + FunctionEnvironment.get("AWS_REGION").orElse("us-east-1")
        + ":000000000000:function:" + functionName;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return REMAINING_MILLIS;
  }

  @Override
  public int getMemoryLimitInMB() {
    return FunctionEnvironment.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").map(Integer::parseInt).orElse(512);
  }

  @Override
  public LambdaLogger getLogger() {
    return DROPPED;
  }
}
