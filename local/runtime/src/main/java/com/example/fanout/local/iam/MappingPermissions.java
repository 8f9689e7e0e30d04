package com.example.fanout.local.iam;

import java.util.List;

/**
 * What Lambda checks of a function's execution role when an event-source mapping is created
 * ({@code CreateEventSourceMapping} fails with {@code InvalidParameterValueException} otherwise): the
 * calls the Lambda service makes with that role to read the source and reach the on-failure destination.
 */
public final class MappingPermissions {
  private MappingPermissions() {}

  /** An SQS mapping polls and deletes with the function's role. */
  public static List<AuthzRequest> sqs(String region, String account, String queueName) {
    String queueArn = SqsProtocol.queueArn(region, account, queueName);
    return List.of(
        new AuthzRequest("sqs:ReceiveMessage", queueArn),
        new AuthzRequest("sqs:DeleteMessage", queueArn),
        new AuthzRequest("sqs:GetQueueAttributes", queueArn));
  }

  /** A DynamoDB stream mapping reads the stream and sends what it gives up on to its SQS on-failure destination. */
  public static List<AuthzRequest> dynamoDbStream(String streamArn, String region, String account, String onFailureQueue) {
    String onFailureQueueArn = SqsProtocol.queueArn(region, account, onFailureQueue);
    return List.of(
        new AuthzRequest("dynamodb:DescribeStream", streamArn),
        new AuthzRequest("dynamodb:GetRecords", streamArn),
        new AuthzRequest("dynamodb:GetShardIterator", streamArn),
        new AuthzRequest("dynamodb:ListStreams", streamArn),
        new AuthzRequest("sqs:SendMessage", onFailureQueueArn));
  }

  /**
   * An asynchronous invocation's on-failure destination: Lambda sends the record with the function's
   * role ({@code PutFunctionEventInvokeConfig} checks it).
   */
  public static List<AuthzRequest> onFailureQueue(String region, String account, String queueName) {
    return List.of(new AuthzRequest("sqs:SendMessage", SqsProtocol.queueArn(region, account, queueName)));
  }

  /**
   * Refuses to create the mapping when {@code enforcer} denies one of {@code requests} to {@code function}
   * ({@link IamMode#WARN} logs it and goes on), with Lambda's wording.
   */
  public static void require(IamEnforcer enforcer, String function, String mapping, List<AuthzRequest> requests) {
    requireFor(enforcer, "CreateEventSourceMapping " + mapping, function, requests);
  }

  /** As {@link #require(IamEnforcer, String, String, List)}, for the Lambda call {@code operation} names. */
  public static void requireFor(IamEnforcer enforcer, String operation, String function, List<AuthzRequest> requests) {
    enforcer.authorize(function, requests).ifPresent(denial -> {
      String action = denial.action().substring(denial.action().indexOf(':') + 1);
      String service = denial.action().startsWith("sqs:") ? "SQS" : "DynamoDB";
      throw new IllegalStateException(operation + " for " + function
          + ": InvalidParameterValueException: The provided execution role does not have permissions to call " + action
          + " on " + service + " (" + denial.message() + ")");
    });
  }
}
