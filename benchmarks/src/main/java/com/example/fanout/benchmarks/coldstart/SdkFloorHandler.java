package com.example.fanout.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * The SDK floor: the {@link FloorHandler}'s work plus the least a consumer that writes and publishes
 * asks of AWS, with the AWS SDK v2 as AWS's guidance for Java functions sets it up and nothing of the
 * platform (no Powertools-shaped logging or metrics, no schema validation, no tracing, no priming).
 * Its two clients are built at init on the url-connection HTTP client, with the region and
 * credentials named; each record is written once to a table ({@code PutItem} on the condition that
 * its id is new) and the batch's follow-ups are published in one {@code PutEvents}: 11 calls to two
 * hosts for a batch of 10. What a function's cold start costs beyond it is what the platform adds.
 */
public final class SdkFloorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  /** The table the records are written to, which the bench names in the environment. */
  public static final String TABLE_VARIABLE = "SDK_FLOOR_TABLE";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final DynamoDbClient dynamoDb;
  private final EventBridgeClient eventBridge;
  private final String table;

  public SdkFloorHandler() {
    Region region = Region.of(System.getenv("AWS_REGION"));
    SdkHttpClient http = UrlConnectionHttpClient.create();
    EnvironmentVariableCredentialsProvider credentials = EnvironmentVariableCredentialsProvider.create();
    dynamoDb = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials).build();
    eventBridge = EventBridgeClient.builder().httpClient(http).region(region).credentialsProvider(credentials).build();
    table = System.getenv(TABLE_VARIABLE);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<String> published = new ArrayList<>();
    List<PutEventsRequestEntry> followUps = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      try {
        JsonNode detail = MAPPER.readTree(m.getBody()).path("detail");
        Map<?, ?> data = MAPPER.convertValue(detail.path("data"), Map.class);
        if (data == null || data.isEmpty()) {
          failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
          continue;
        }
        String id = detail.path("id").asText(m.getMessageId());
        write(id, MAPPER.writeValueAsString(data));
        published.add(m.getMessageId());
        followUps.add(PutEventsRequestEntry.builder().source("bench.sdk-floor").detailType("RecordWritten")
            .detail(MAPPER.writeValueAsString(Map.of("id", id))).eventBusName("bench-fanout").build());
      } catch (Exception e) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    if (!followUps.isEmpty()) {
      try {
        PutEventsResponse answer = eventBridge.putEvents(r -> r.entries(followUps));
        for (int i = 0; i < answer.entries().size(); i++) {
          if (answer.entries().get(i).errorCode() != null) {
            failures.add(new SQSBatchResponse.BatchItemFailure(published.get(i)));
          }
        }
      } catch (RuntimeException e) {
        published.forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
      }
    }
    return new SQSBatchResponse(failures);
  }

  /** The record's item, once: a redelivered record finds its id taken and is done. */
  private void write(String id, String data) {
    try {
      dynamoDb.putItem(r -> r.tableName(table)
          .item(Map.of("pk", AttributeValue.fromS(id), "data", AttributeValue.fromS(data)))
          .conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException redelivered) {
      // written by an earlier delivery
    }
  }
}
