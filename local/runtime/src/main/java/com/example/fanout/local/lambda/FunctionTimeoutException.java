package com.example.fanout.local.lambda;

/** The handler ran past the function's timeout ("Task timed out after N seconds"). */
public final class FunctionTimeoutException extends RuntimeException {
  public FunctionTimeoutException(String functionName, int timeoutSeconds) {
    super(functionName + ": Task timed out after " + timeoutSeconds + ".00 seconds");
  }
}
