package com.example.fanout.local.iam;

import com.example.fanout.runtime.FunctionEnvironment;
import java.util.Properties;

/**
 * Gives each in-process function its own AWS credentials: handlers build default SDK clients, whose
 * credential chain reads the {@code aws.accessKeyId} / {@code aws.secretAccessKey} system properties
 * at every call; while a function runs (inside its {@link FunctionEnvironment}) these properties
 * answer with its {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}, elsewhere with the
 * JVM's own values; likewise {@code aws.endpointUrlSqs} with the function's SQS endpoint (the
 * authorising proxy). In AWS each function has its own process and role; this is the one-JVM stand-in.
 */
public final class FunctionCredentials extends Properties {
  private static final String ACCESS_KEY = "aws.accessKeyId";
  private static final String SECRET_KEY = "aws.secretAccessKey";
  private static final String SQS_ENDPOINT = "aws.endpointUrlSqs";

  private FunctionCredentials(Properties current) {
    putAll(current);
  }

  /** Installs the function-scoped view of the system properties (once per JVM). */
  public static synchronized void install() {
    if (!(System.getProperties() instanceof FunctionCredentials)) {
      System.setProperties(new FunctionCredentials(System.getProperties()));
    }
  }

  @Override
  public String getProperty(String key) {
    if (ACCESS_KEY.equals(key)) {
      return FunctionEnvironment.scoped("AWS_ACCESS_KEY_ID").orElseGet(() -> super.getProperty(key));
    }
    if (SECRET_KEY.equals(key)) {
      return FunctionEnvironment.scoped("AWS_SECRET_ACCESS_KEY").orElseGet(() -> super.getProperty(key));
    }
    if (SQS_ENDPOINT.equals(key)) {
      return FunctionEnvironment.scoped("AWS_ENDPOINT_URL_SQS").orElseGet(() -> super.getProperty(key));
    }
    return super.getProperty(key);
  }
}
