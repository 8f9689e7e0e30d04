package com.example.fanout.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.SdkPriming;
import com.example.fanout.testing.RecordingXRay;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

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
