package com.example.fanout.local;

/** Where each endpoint listens on 127.0.0.1; 0 picks a free port. */
public record Ports(int api, int eventBridge, int sqs, int dynamoDb, int s3, int ses, int secrets, int control) {
  public static final Ports FREE = new Ports(0, 0, 0, 0, 0, 0, 0, 0);
  /** The ports {@code make run} uses, so a shell profile can point the AWS CLI at them once. */
  public static final Ports WELL_KNOWN = new Ports(3000, 4010, 9324, 8000, 9000, 4020, 4030, 4000);
}
