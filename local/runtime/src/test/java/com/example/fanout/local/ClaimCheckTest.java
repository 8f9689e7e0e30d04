package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.testing.ClaimCheckSinkHandler.Handled;
import com.example.fanout.local.testing.Recorder;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.publish.ClaimCheck;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.publish.PayloadLimits;
import com.example.fanout.publish.S3ClaimCheckStore;
import com.example.fanout.schema.EventSchemas;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An event over the SNS limit, of a type whose manifest opts in, travels the chain as a claim check. */
@ExtendWith(TestPlatform.Lifecycle.class)
class ClaimCheckTest {

  @Test
  void publish_shouldDeliverTheFullPayloadThroughTheClaimCheck_whenTheEventIsOverTheSnsLimit() {
    LocalPlatform platform = TestPlatform.get();
    Catalog catalog = Catalog.load(Path.of("src/test/resources/services"));
    String blob = "x".repeat(PayloadLimits.SNS_MAX_MESSAGE_BYTES + 10_000);
    Envelope event = Envelope.first("BulkReady", 1, "com.example.bulk", Events.newCorrelationId(),
        Map.of("blob", blob), Instant.now());

    try (var eventBridge = TestPlatform.eventBridge(); var s3 = TestPlatform.s3()) {
      EventPublisher publisher = EventPublisher.builder()
          .client(eventBridge)
          .eventBusName(TestPlatform.endpoints().eventBusName())
          .schemas(new EventSchemas(catalog))
          .claimChecks(new S3ClaimCheckStore(s3, platform.claimCheckBucket(), "claim-checks/"), catalog.claimCheckTypes())
          .build();
      publisher.publish(event).orThrow();
    }

    Eventually.await(TestPlatform.TIMEOUT, () -> !Recorder.received("bulk-sink", Handled.class).isEmpty(), "bulk-sink handled the event");
    Envelope handled = Recorder.received("bulk-sink", Handled.class).getFirst().event();
    assertThat(handled.id()).isEqualTo(event.id());
    assertThat(handled.data().path("blob").asText()).hasSize(blob.length()).isEqualTo(blob);
    Envelope archived = platform.archive().select(null, null, event.correlationId()).stream()
        .map(a -> EventJson.readEnvelope(a.event().get("detail"))).findFirst().orElseThrow();
    assertThat(ClaimCheck.isClaimCheck(archived)).as("the bus and SNS carried the reference, not the payload").isTrue();
    assertThat(ClaimCheck.of(archived).key()).isEqualTo("claim-checks/com.example.bulk/BulkReady/" + event.id() + ".json");
    assertThat(catalog.claimCheckTypes()).isEqualTo(Set.of("BulkReady"));
  }
}
