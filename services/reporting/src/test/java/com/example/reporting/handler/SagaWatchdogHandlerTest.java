package com.example.reporting.handler;

import static com.example.reporting.domain.LedgerFixtures.authorized;
import static com.example.reporting.domain.LedgerFixtures.placed;
import static com.example.reporting.domain.LedgerFixtures.shipped;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventIds;
import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.schema.EventSchemas;
import com.example.reporting.domain.InMemoryLedgerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

class SagaWatchdogHandlerTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final List<Envelope> published = new CopyOnWriteArrayList<>();
  private final List<Integer> metric = new ArrayList<>();
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final MutableClock clock = new MutableClock(T0);
  private final SagaWatchdogHandler handler = new SagaWatchdogHandler(ledger, publisher(), clock, Duration.ofMinutes(15), metric::add);

  private EventPublisher publisher() {
    EventBridgeClient eventBridge = new EventBridgeClient() {
      @Override
      public PutEventsResponse putEvents(PutEventsRequest request) {
        List<PutEventsResultEntry> results = new ArrayList<>();
        request.entries().forEach(e -> {
          published.add(EventJson.readEnvelope(e.detail()));
          results.add(PutEventsResultEntry.builder().eventId(UUID.randomUUID().toString()).build());
        });
        return PutEventsResponse.builder().failedEntryCount(0).entries(results).build();
      }

      @Override
      public String serviceName() {
        return "events";
      }

      @Override
      public void close() {}
    };
    return EventPublisher.builder().client(eventBridge).eventBusName("test-bus")
        .schemas(new EventSchemas(Catalog.fromClasspath())).traceHeaders(Optional::empty).build();
  }

  @Test
  void handleRequest_shouldEmitSagaStuckOncePerOrderAndLastEvent_whenAnOrderStopsProgressing() {
    ledger.apply(placed("ord_STUCK0001", T0, 2500, "EUR"));
    ledger.apply(authorized("ord_STUCK0001", T0.plusSeconds(5)));
    ledger.apply(placed("ord_MOVING001", T0.plusSeconds(5), 2500, "EUR"));

    clock.now = T0.plus(Duration.ofMinutes(10));
    handler.handleRequest(new ScheduledEvent(), null);
    assertThat(published).isEmpty();

    clock.now = T0.plus(Duration.ofMinutes(30));
    handler.handleRequest(new ScheduledEvent(), null);
    handler.handleRequest(new ScheduledEvent(), null); // the next run: already reported

    assertThat(published).hasSize(2);
    Envelope stuck = published.stream().filter(e -> e.correlationId().equals("ord_STUCK0001")).findFirst().orElseThrow();
    assertThat(stuck.type()).isEqualTo("SagaStuck");
    assertThat(stuck.source()).isEqualTo("com.example.reporting");
    assertThat(stuck.id()).isEqualTo(EventIds.derived("evt_auth_ord_STUCK0001", "SagaStuck", "ord_STUCK0001"));
    assertThat(stuck.causationId()).isEqualTo("evt_auth_ord_STUCK0001");
    assertThat(stuck.data().get("lastStatus").asText()).isEqualTo("PAYMENT_AUTHORIZED");
    assertThat(stuck.data().get("lastEventType").asText()).isEqualTo("PaymentAuthorized");
    assertThat(stuck.data().get("lastEventAt").asText()).isEqualTo("2026-11-26T10:00:05Z");
    assertThat(stuck.data().get("stuckForSeconds").asLong()).isEqualTo(30 * 60 - 5);
    assertThat(metric).containsExactly(0, 2, 0);
  }

  @Test
  void handleRequest_shouldFlagAgain_whenTheOrderMovedOnAndStoppedAgain() {
    ledger.apply(placed("ord_STUCK0002", T0, 2500, "EUR"));
    clock.now = T0.plus(Duration.ofMinutes(20));
    handler.handleRequest(new ScheduledEvent(), null);

    ledger.apply(shipped("ord_STUCK0002", T0.plus(Duration.ofMinutes(21)))); // shipped, never notified
    clock.now = T0.plus(Duration.ofMinutes(40));
    handler.handleRequest(new ScheduledEvent(), null);

    assertThat(published).extracting(e -> e.data().get("lastStatus").asText()).containsExactly("PLACED", "SHIPPED");
    assertThat(published.get(0).id()).isNotEqualTo(published.get(1).id());
  }

  @Test
  void stuckAfter_shouldReadWholeAndFractionalMinutes_andRefuseNegativeOrText() {
    assertThat(SagaWatchdogHandler.stuckAfter("15")).isEqualTo(Duration.ofMinutes(15));
    assertThat(SagaWatchdogHandler.stuckAfter("0.1")).isEqualTo(Duration.ofSeconds(6));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SagaWatchdogHandler.stuckAfter("-1"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("0 or more");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SagaWatchdogHandler.stuckAfter("soon"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("STUCK_AFTER_MINUTES");
  }
}
