package com.example.fanout.local.xray;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.UDPEmitter;
import com.example.fanout.local.Eventually;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.TraceEntity;
import com.example.fanout.tracing.TraceHeader;
import com.example.fanout.tracing.XRayTracer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class XRayDaemonTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String TRACE = "1-67891233-abcdef012345678912345678";

  private final TraceStore store = new TraceStore();
  private final XRayDaemon daemon = new XRayDaemon(0, store);

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void daemon_shouldAssembleTheSdksSegmentAndSubsegments_whenTheSdkSendsOverUdp() throws Exception {
    DaemonConfiguration config = new DaemonConfiguration();
    config.setDaemonAddress(daemon.address());
    AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard().withEmitter(new UDPEmitter(config)).build();

    var segment = recorder.beginSegment("orders-api");
    segment.putAnnotation(Span.CORRELATION_ID, "ord_1");
    recorder.beginSubsegment("DynamoDB");
    recorder.endSubsegment();
    recorder.endSegment();

    String traceId = segment.getTraceId().toString();
    Eventually.await(TIMEOUT, () -> store.trace(traceId).size() == 2);
    Map<String, TraceEntity> byName = byName(store.trace(traceId));
    assertThat(byName.get("orders-api").segment()).isTrue();
    assertThat(byName.get("DynamoDB").parentId()).isEqualTo(byName.get("orders-api").id());
    assertThat(store.tracesAnnotated(Span.CORRELATION_ID, "ord_1")).containsExactly(traceId);
  }

  @Test
  void lambdaContext_shouldSendTheRecordSubsegmentUnderTheFunctionSegment_whenTheInvocationHeaderIsOnTheThread() throws Exception {
    LambdaTracing lambda = new LambdaTracing(new ServiceSegments(store), daemon.address(), java.net.URI.create("http://127.0.0.1:9"));
    XRayTracer tracer = new XRayTracer(lambda.recorder(), true);
    String producer = new TraceHeader(TRACE, "53995c3f42cd8ad8", true).toString();

    LambdaTracing.Invocation invocation = lambda.begin("t-billing-charge", producer);
    String downstream = invocation.run(() -> {
      try (Span span = tracer.startSegment("billing.charge PaymentTaken", producer)) {
        span.annotate(Span.CORRELATION_ID, "ord_2");
        return tracer.currentTraceHeader().orElseThrow();
      }
    });
    invocation.end();

    Eventually.await(TIMEOUT, () -> byName(store.trace(TRACE)).containsKey("billing.charge PaymentTaken"));
    List<TraceEntity> trace = store.trace(TRACE);
    TraceEntity lambdaSegment = trace.stream().filter(e -> ServiceSegments.LAMBDA.equals(e.origin())).findFirst().orElseThrow();
    TraceEntity function = trace.stream().filter(e -> ServiceSegments.LAMBDA_FUNCTION.equals(e.origin())).findFirst().orElseThrow();
    TraceEntity record = byName(trace).get("billing.charge PaymentTaken");
    assertThat(lambdaSegment.parentId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(function.parentId()).isEqualTo(lambdaSegment.id());
    assertThat(record.parentId()).as("an independent subsegment of the function segment").isEqualTo(function.id());
    assertThat(record.segment()).isFalse();
    assertThat(trace).noneMatch(TraceEntity::inProgress);
    assertThat(TraceHeader.parse(downstream).orElseThrow()).isEqualTo(new TraceHeader(TRACE, record.id(), true));
  }

  @Test
  void store_shouldReplaceAnInProgressSegment_andIgnoreALateInProgressCopy() throws Exception {
    send("{\"name\":\"fn\",\"id\":\"aaaaaaaaaaaaaaaa\",\"trace_id\":\"" + TRACE + "\",\"start_time\":1.5,\"in_progress\":true}");
    Eventually.await(TIMEOUT, () -> store.trace(TRACE).size() == 1);
    assertThat(store.trace(TRACE).getFirst().inProgress()).isTrue();

    send("{\"name\":\"fn\",\"id\":\"aaaaaaaaaaaaaaaa\",\"trace_id\":\"" + TRACE + "\",\"start_time\":1.5,\"end_time\":2.0}");
    Eventually.await(TIMEOUT, () -> !store.trace(TRACE).getFirst().inProgress());
    send("{\"name\":\"fn\",\"id\":\"aaaaaaaaaaaaaaaa\",\"trace_id\":\"" + TRACE + "\",\"start_time\":1.5,\"in_progress\":true}");
    Eventually.await(TIMEOUT, () -> daemon.received() == 3);

    assertThat(store.trace(TRACE)).singleElement().satisfies(e -> assertThat(e.inProgress()).isFalse());
  }

  @Test
  void store_shouldNestAnIndependentSubsegmentInItsParent_whenATraceIsRead() throws Exception {
    send("{\"name\":\"fn\",\"id\":\"aaaaaaaaaaaaaaaa\",\"trace_id\":\"" + TRACE + "\",\"start_time\":1,\"end_time\":3,"
        + "\"subsegments\":[{\"name\":\"init\",\"id\":\"bbbbbbbbbbbbbbbb\",\"start_time\":1,\"end_time\":1.1}]}");
    send("{\"type\":\"subsegment\",\"name\":\"handler\",\"id\":\"cccccccccccccccc\",\"trace_id\":\"" + TRACE
        + "\",\"parent_id\":\"bbbbbbbbbbbbbbbb\",\"start_time\":2,\"end_time\":2.5}");
    Eventually.await(TIMEOUT, () -> daemon.received() == 2);

    assertThat(byName(store.trace(TRACE)).get("handler").parentId()).isEqualTo("bbbbbbbbbbbbbbbb");
    List<com.fasterxml.jackson.databind.node.ObjectNode> assembled = store.assembledSegments(TRACE);
    assertThat(assembled).hasSize(1);
    JsonNode init = assembled.getFirst().get("subsegments").get(0);
    assertThat(init.get("subsegments").get(0).get("name").asText()).isEqualTo("handler");
  }

  @Test
  void daemon_shouldRejectADatagramWithoutTheHeaderLine_andKeepReceiving() throws Exception {
    sendRaw("{\"name\":\"fn\",\"id\":\"aaaaaaaaaaaaaaaa\",\"trace_id\":\"" + TRACE + "\",\"start_time\":1,\"end_time\":2}");
    sendRaw("{\"format\":\"json\",\"version\":2}\n{\"name\":\"fn\",\"id\":\"aaaaaaaaaaaaaaaa\",\"trace_id\":\"" + TRACE
        + "\",\"start_time\":1,\"end_time\":2}");
    sendRaw(XRayDaemon.HEADER + "\n{\"name\":\"fn\",\"id\":\"aaaaaaaaaaaaaaaa\",\"start_time\":1,\"end_time\":2}");
    Eventually.await(TIMEOUT, () -> daemon.rejected() == 3);
    send("{\"name\":\"fn\",\"id\":\"aaaaaaaaaaaaaaaa\",\"trace_id\":\"" + TRACE + "\",\"start_time\":1,\"end_time\":2}");
    Eventually.await(TIMEOUT, () -> daemon.received() == 1);
    assertThat(store.traceIds()).containsExactly(TRACE);
  }

  @Test
  void drain_shouldReturnOnceEveryDatagramSentBeforeItIsCounted_whenABurstIsQueued() throws Exception {
    // Sent faster than the receiver parses at first, and few enough for the kernel's default receive buffer
    // (net.core.rmem_max 208 KiB on many machines), which caps the daemon's own.
    int burst = 60;
    for (int i = 0; i < burst; i++) {
      send(String.format("{\"name\":\"fn\",\"id\":\"%016x\",\"trace_id\":\"%s\",\"start_time\":1,\"end_time\":2}", i, TRACE));
    }
    sendRaw("not a segment document");

    daemon.drain(TIMEOUT);

    assertThat(daemon.received()).isEqualTo(burst);
    assertThat(daemon.rejected()).as("the malformed datagram; the drain's own marker is not counted").isEqualTo(1);
    assertThat(store.trace(TRACE)).hasSize(burst);
  }

  private void send(String document) throws Exception {
    sendRaw(XRayDaemon.HEADER + "\n" + document);
  }

  private void sendRaw(String datagram) throws Exception {
    byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), daemon.port()));
    }
  }

  private static Map<String, TraceEntity> byName(List<TraceEntity> entities) {
    return entities.stream().collect(Collectors.toMap(TraceEntity::name, Function.identity(), (a, b) -> a));
  }
}
