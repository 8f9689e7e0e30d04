package com.example.fanout.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.entities.Entity;
import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.LambdaTraceHeaders;
import com.example.fanout.runtime.LoopbackEndpoint;
import com.example.fanout.runtime.SdkPriming;
import com.example.fanout.testing.RecordingXRay;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

class XRayPrimingTest {
  @Test
  void sdkPriming_shouldEncodeEveryRoundsSpanWithItsCallsUnderIt_andSendNothingOnTheFunctionsRecorder() {
    RecordingXRay function = new RecordingXRay();
    List<String> documents = new CopyOnWriteArrayList<>();
    Tracer priming = ((XRayTracer) function.tracer()).forPriming(documents::add);

    assertThat(SdkPriming.run(2, priming, java.util.Set.of("events:PutEvents"))).as("calls the loopback endpoint answered").isEqualTo(8);

    List<JsonNode> encoded = documents.stream().map(EventJson::parse).toList();
    List<JsonNode> records = encoded.stream().filter(d -> !d.has("type")).toList();
    assertThat(records).as("a record's span a round").hasSize(2).allSatisfy(record -> {
      assertThat(record.path("name").asText()).isEqualTo("prime.prime Primed");
      assertThat(record.path("annotations").path(Span.CORRELATION_ID).asText()).isEqualTo("prime");
      assertThat(record.path("annotations").path("outcome").asText()).isEqualTo("ok");
      assertThat(record.path("subsegments")).as("the record's calls, inside the segment").isNotEmpty();
    });
    List<String> streamedCalls = encoded.stream().filter(d -> d.path("type").asText().equals("subsegment"))
        .map(d -> d.path("namespace").asText() + " " + d.path("name").asText() + " " + d.path("aws").path("operation").asText())
        .toList();
    assertThat(streamedCalls).containsExactly(
        "aws DynamoDb PutItem", "aws DynamoDb GetItem", "aws DynamoDb UpdateItem", "aws EventBridge PutEvents",
        "aws DynamoDb PutItem", "aws DynamoDb GetItem", "aws DynamoDb UpdateItem", "aws EventBridge PutEvents");
    assertThat(function.sent()).as("what the function's own recorder sent").isEmpty();
    assertThat(function.recorder().getTraceEntity()).as("no span left open on the priming thread").isNull();
  }

  /**
   * In Lambda the global recorder's context is Lambda's: a call outside any record's span (a batch's
   * PutEvents) is recorded under the invocation's facade segment and streamed as it ends. Outside it
   * every recorder shares one thread-local context, so only this test tells whether the function's
   * clients still reach the global recorder once priming is over.
   */
  @Test
  void primeWith_shouldLeaveTheFunctionsClientsOnTheGlobalRecorder_inLambdasSegmentContext() throws Exception {
    RecordingXRay lambda = RecordingXRay.inLambdaContext();
    AWSXRayRecorder before = AWSXRay.getGlobalRecorder();
    AWSXRay.setGlobalRecorder(lambda.recorder());
    try (LoopbackEndpoint aws = new LoopbackEndpoint(request -> { })) {
      XRayTracer function = XRayTracer.withOwnGlobalRecorderInterceptor(lambda.recorder(), true);
      EventBridgeClient events = new AwsClients(function).build(EventBridgeClient.builder()
          .endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))));

      function.primeWith(priming -> {
        try (Span record = priming.startSegment("prime.prime Primed", null)) {
          events.putEvents(r -> r.entries(e -> e.source("prime").detailType("Primed").detail("{}")));
        }
        return events.putEvents(r -> r.entries(e -> e.source("prime").detailType("Primed").detail("{}")));
      });
      assertThat(lambda.streamed()).as("what priming's calls streamed on the function's recorder").isEmpty();

      String invocationRoot = "1-6750a1b2-0123456789abcdef01234567";
      SdkInternalThreadLocal.put(LambdaTraceHeaders.THREAD_KEY,
          "Root=" + invocationRoot + ";Parent=53995c3f42cd8ad8;Sampled=1");
      try {
        try (Span record = function.startSegment("orders.status-projection OrderPlaced", null)) {
          events.putEvents(r -> r.entries(e -> e.source("orders").detailType("OrderPlaced").detail("{}")));
        }
        events.putEvents(r -> r.entries(e -> e.source("orders").detailType("OrderPlaced").detail("{}")));
      } finally {
        SdkInternalThreadLocal.remove(LambdaTraceHeaders.THREAD_KEY);
      }

      assertThat(lambda.streamed()).as("the record's span with its call, then the batch's call, each in the invocation's trace")
          .extracting(entity -> entity.getParentSegment().getTraceId().toString() + " " + entity.getName()
              + " " + entity.getSubsegmentsCopy().stream().map(Entity::getName).toList())
          .containsExactly(
              invocationRoot + " orders.status-projection OrderPlaced [EventBridge]",
              invocationRoot + " EventBridge []");
    } finally {
      AWSXRay.setGlobalRecorder(before);
    }
  }

  @Test
  void primeWith_shouldPassNoTracer_whenTheBackendHasNone() {
    Tracer passed = Tracer.none().<Tracer>primeWith(priming -> priming);
    assertThat((Object) passed).isSameAs(Tracer.none());
  }

  @Test
  void primeWith_shouldPassATracerOfItsOwn_notTheFunctionsOne() {
    XRayTracer function = new RecordingXRay().tracer();
    Tracer passed = function.<Tracer>primeWith(priming -> priming);
    assertThat((Object) passed).isInstanceOf(XRayTracer.class).isNotSameAs(function);
  }
}
