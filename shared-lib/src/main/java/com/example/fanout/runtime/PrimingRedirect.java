package com.example.fanout.runtime;

import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The HTTP client every function's SDK clients share ({@link AwsClients}): the function's own, except
 * on a thread that {@link SdkPriming} is running a priming invocation on, whose requests go to its
 * loopback endpoint instead. That is how a priming invocation runs the function's handler with the
 * clients the handler was built with, and no request of it leaves the sandbox.
 */
final class PrimingRedirect implements SdkHttpClient {
  private static final ThreadLocal<SdkHttpClient> PRIMING = new ThreadLocal<>();

  private final SdkHttpClient http;

  PrimingRedirect(SdkHttpClient http) {
    this.http = Objects.requireNonNull(http, "http");
  }

  /** Runs {@code body} with this thread's requests sent through {@code loopback}; returns what it returns. */
  static <T> T during(SdkHttpClient loopback, Supplier<T> body) {
    return ThreadScoped.with(PRIMING, Objects.requireNonNull(loopback, "loopback"), body);
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    SdkHttpClient priming = PRIMING.get();
    return (priming == null ? http : priming).prepareRequest(request);
  }

  @Override
  public String clientName() {
    return http.clientName();
  }

  @Override
  public void close() {
    http.close();
  }
}
