package com.example.fanout.local.xray;

import static com.example.fanout.local.Events.entry;
import static com.example.fanout.local.Events.newCorrelationId;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.Eventually;
import com.example.fanout.local.TestPlatform;
import com.example.fanout.local.testing.ReceivedMessage;
import com.example.fanout.local.testing.Recorder;
import com.example.fanout.tracing.TraceEntity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The X-Ray path on the local platform: EventBridge, SNS, Lambda and the function's own SDK segments in one trace. */
@ExtendWith(TestPlatform.Lifecycle.class)
class TracePathTest {

  @Test
  void duplicateDelivery_shouldStayInOneTrace_withEveryHopParented() {
    String id = newCorrelationId();
    var response = TestPlatform.eventBridge().putEvents(b -> b.entries(entry("com.example.shop", "ItemPicked", id, Map.of("fault", "duplicate"))));
    assertThat(response.failedEntryCount()).isZero();
    LocalXRay xray = TestPlatform.get().xray();

    Eventually.await(TestPlatform.TIMEOUT, () -> Recorder.received("chaos-duplicate", ReceivedMessage.class).stream()
        .filter(m -> id.equals(m.correlationId())).count() == 2);
    Eventually.await(TestPlatform.TIMEOUT, () -> {
      List<String> traces = TestPlatform.get().timeline().traceIds(id);
      return traces.size() == 1 && xray.store().trace(traces.getFirst()).stream()
          .filter(e -> e.name().equals("handle chaos-duplicate") && !e.inProgress()).count() == 2
          && xray.store().trace(traces.getFirst()).stream().noneMatch(TraceEntity::inProgress);
    }, "both deliveries' handler subsegments in one trace");

    List<TraceEntity> trace = xray.store().trace(TestPlatform.get().timeline().traceIds(id).getFirst());
    Set<String> ids = trace.stream().map(TraceEntity::id).collect(Collectors.toSet());
    assertThat(trace.stream().filter(e -> e.parentId() == null))
        .as("the bus's segment starts the trace (the entry had no header)")
        .singleElement().satisfies(e -> assertThat(e.origin()).isEqualTo(ServiceSegments.EVENTBRIDGE));
    assertThat(trace).filteredOn(e -> e.parentId() != null).allSatisfy(e -> assertThat(ids).contains(e.parentId()));

    Map<String, TraceEntity> byId = trace.stream().collect(Collectors.toMap(TraceEntity::id, e -> e));
    List<TraceEntity> handlers = trace.stream().filter(e -> e.name().equals("handle chaos-duplicate")).toList();
    assertThat(handlers).hasSize(2).allSatisfy(h -> {
      TraceEntity function = byId.get(h.parentId());
      assertThat(function.origin()).isEqualTo(ServiceSegments.LAMBDA_FUNCTION);
      TraceEntity lambda = byId.get(function.parentId());
      assertThat(lambda.origin()).isEqualTo(ServiceSegments.LAMBDA);
      TraceEntity topic = byId.get(lambda.parentId());
      assertThat(topic.origin()).isEqualTo(ServiceSegments.SNS);
      assertThat(byId.get(topic.parentId()).origin()).isEqualTo(ServiceSegments.EVENTBRIDGE);
    });
    assertThat(handlers.get(0).id()).as("one subsegment per copy").isNotEqualTo(handlers.get(1).id());
    assertThat(xray.daemon().received()).as("the handler's subsegments came through the daemon").isPositive();
  }
}
