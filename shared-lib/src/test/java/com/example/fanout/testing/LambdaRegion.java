package com.example.fanout.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sets {@code aws.region} for each test, as Lambda sets {@code AWS_REGION}: the no-arg constructors
 * build SDK clients, which need one, and the SDK reads it from the process, not from
 * {@code FunctionEnvironment}. Use with {@code @ExtendWith(LambdaRegion.class)}.
 */
public final class LambdaRegion implements BeforeEachCallback, AfterEachCallback {
  private static final String PROPERTY = "aws.region";

  @Override
  public void beforeEach(ExtensionContext context) {
    System.setProperty(PROPERTY, "us-east-1");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.clearProperty(PROPERTY);
  }
}
