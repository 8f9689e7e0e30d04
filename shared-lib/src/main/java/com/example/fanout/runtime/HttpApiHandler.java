package com.example.fanout.runtime;

/**
 * An HTTP API handler that routes through {@link HttpRoutes}: the manifest test compares its route
 * keys with the manifest's {@code routes}, so API Gateway sends it nothing it does not serve and it
 * serves nothing API Gateway does not send (ADR 0091).
 */
public interface HttpApiHandler {
  HttpRoutes<?> routes();
}
