package com.example.fanout.local;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a started platform serves: point unchanged SDK clients at these with an endpoint override. */
public record Endpoints(URI api, URI eventBridge, URI sqs, URI dynamoDb, URI s3, URI ses, URI secrets, URI control, String eventBusName) {

  /** The ports these endpoints listen on: what a platform started again must bind for its clients to reconnect. */
  public Ports ports() {
    return new Ports(api.getPort(), eventBridge.getPort(), sqs.getPort(), dynamoDb.getPort(), s3.getPort(), ses.getPort(),
        secrets.getPort(), control.getPort());
  }

  /** The environment variables the AWS SDKs and CLI read ({@code AWS_ENDPOINT_URL_<SERVICE>}). */
  public Map<String, String> sdkEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridge.toString());
    env.put("AWS_ENDPOINT_URL_SNS", eventBridge.toString());
    env.put("AWS_ENDPOINT_URL_SQS", sqs.toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", dynamoDb.toString());
    env.put("AWS_ENDPOINT_URL_LAMBDA", control.toString());
    env.put("AWS_ENDPOINT_URL_S3", s3.toString());
    env.put("AWS_ENDPOINT_URL_SESV2", ses.toString());
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.toString());
    env.put("AWS_ENDPOINT_URL_SSM", secrets.toString());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "local");
    env.put("AWS_SECRET_ACCESS_KEY", "local");
    return env;
  }

  /**
   * What a shell needs to point the AWS CLI and the {@code fanout} command here: {@link
   * #sdkEnvironment()}, {@code AWS_DEFAULT_REGION} (the AWS CLI v1 reads no other region variable)
   * and {@code FANOUT_LOCAL_CONTROL_URL} (this runtime's control endpoint).
   */
  public Map<String, String> cliEnvironment() {
    Map<String, String> env = sdkEnvironment();
    env.put("AWS_DEFAULT_REGION", env.get("AWS_REGION"));
    env.put("FANOUT_LOCAL_CONTROL_URL", control.toString());
    return env;
  }

  public String describe() {
    return String.join("\n",
        "  HTTP API     " + api,
        "  EventBridge  " + eventBridge + "   (bus " + eventBusName + "; SNS Publish to the domain topics too)",
        "  SQS          " + sqs,
        "  DynamoDB     " + dynamoDb + "   (DynamoDB Streams' GetRecords too)",
        "  S3           " + s3 + "   (path-style, as the SDK addresses an IP endpoint)",
        "  SES v2       " + ses + "   (SendEmail kept in the data dir, GET /_local/emails)",
        "  Secrets      " + secrets + "   (Secrets Manager and SSM Parameter Store, in memory)",
        "  control      " + control + "/_local/status, /_local/timeline/{correlationId}, /_local/emails, POST /_local/replay; Lambda Invoke");
  }
}
