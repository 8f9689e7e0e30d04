package com.example.fanout.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** The local Lambda Invoke, called with the SDK's {@code LambdaClient} as {@code fanout} and {@code aws lambda invoke} call it. */
class InvokeApiTest {
  private static final String RELAY = "t-orders-outbox-relay";
  private static final String STREAM_EVENT = """
      {"Records":[{"eventID":"e1","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
        "dynamodb":{"ApproximateCreationDateTime":1764633600,"Keys":{"pk":{"S":"ORDER#1"}},
          "NewImage":{"pk":{"S":"ORDER#1"},"outbox":{"M":{"evt_1":{"S":"{}"}}}},
          "SequenceNumber":"100000000000000000001","SizeBytes":42,"StreamViewType":"NEW_AND_OLD_IMAGES"},
        "eventSourceARN":"arn:aws:dynamodb:us-east-1:000000000000:table/t-orders-orders/stream/2026-01-01T00:00:00.000"}]}
      """;

  /** Fails the record whose key is {@code ORDER#fail}; remembers what it was handed. */
  static final class Relay implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    static final AtomicReference<DynamodbEvent> SEEN = new AtomicReference<>();

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
      SEEN.set(event);
      var record = event.getRecords().getFirst();
      if (record.getDynamodb().getKeys().get("pk").getS().equals("ORDER#crash")) {
        throw new IllegalStateException("bus unreachable");
      }
      return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber())));
    }
  }

  private HttpServer server;
  private LocalFunction relay;
  private LambdaClient lambda;

  @BeforeEach
  void start() {
    relay = TestFunctions.local(RELAY, new Relay());
    server = HttpExchanges.server(0);
    server.createContext(InvokeApi.PATH, new InvokeApi(name -> name.equals(RELAY) ? relay : null)::handle);
    server.start();
    lambda = LambdaClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("op", "op")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  @AfterEach
  void stop() {
    lambda.close();
    server.stop(0);
    relay.close();
  }

  @Test
  void invoke_shouldReadTheEventAsTheLambdaJavaRuntimeDoes_andAnswerTheHandlersResultAsJson() {
    InvokeResponse response = lambda.invoke(b -> b.functionName(FunctionArns.alias(RELAY)).payload(SdkBytes.fromUtf8String(STREAM_EVENT)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.functionError()).isNull();
    DynamodbEvent seen = Relay.SEEN.get();
    assertThat(seen.getRecords().getFirst().getDynamodb().getNewImage().get("outbox").getM()).containsKey("evt_1");
    assertThat(seen.getRecords().getFirst().getEventSourceARN()).endsWith("/stream/2026-01-01T00:00:00.000");
    JsonNode result = EventJson.parse(response.payload().asUtf8String());
    assertThat(result.path("batchItemFailures").get(0).path("itemIdentifier").asText()).isEqualTo("100000000000000000001");
  }

  @Test
  void invoke_shouldAnswerUnhandledWithLambdasErrorBody_whenTheHandlerThrows() {
    String crashing = STREAM_EVENT.replace("ORDER#1", "ORDER#crash");

    InvokeResponse response = lambda.invoke(b -> b.functionName(RELAY).payload(SdkBytes.fromUtf8String(crashing)));

    assertThat(response.functionError()).isEqualTo("Unhandled");
    JsonNode error = EventJson.parse(response.payload().asUtf8String());
    assertThat(error.path("errorMessage").asText()).isEqualTo("bus unreachable");
    assertThat(error.path("errorType").asText()).isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void invoke_shouldAnswerResourceNotFound_forAnUnknownFunctionOrQualifier_andRunNothingOnDryRun() {
    assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("t-orders-nothing").payload(SdkBytes.fromUtf8String("{}"))))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Function not found");
    assertThatThrownBy(() -> lambda.invoke(b -> b.functionName(RELAY).qualifier("7").payload(SdkBytes.fromUtf8String("{}"))))
        .isInstanceOf(ResourceNotFoundException.class);
    Relay.SEEN.set(null);

    InvokeResponse dryRun = lambda.invoke(b -> b.functionName(RELAY).invocationType(InvocationType.DRY_RUN)
        .payload(SdkBytes.fromUtf8String(STREAM_EVENT)));

    assertThat(dryRun.statusCode()).isEqualTo(204);
    assertThat(Relay.SEEN.get()).isNull();
  }
}
