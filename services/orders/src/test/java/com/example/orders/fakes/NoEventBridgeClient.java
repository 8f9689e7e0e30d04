package com.example.orders.fakes;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** An EventBridge client for consumers that emit nothing: every call fails the test. */
public final class NoEventBridgeClient implements EventBridgeClient {
  @Override
  public String serviceName() {
    return "events";
  }

  @Override
  public void close() {}
}
