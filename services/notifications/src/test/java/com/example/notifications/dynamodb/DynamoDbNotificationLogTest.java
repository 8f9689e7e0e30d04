package com.example.notifications.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.servers.Dynalite;
import com.example.fanout.testing.LocalAws;
import com.example.notifications.domain.CustomerNotifier;
import com.example.notifications.domain.Events;
import com.example.notifications.domain.Notification;
import com.example.notifications.domain.NotificationInFlightException;
import com.example.notifications.domain.NotificationLog.Claim;
import com.example.notifications.domain.NotificationSent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Once-only sending against real conditional writes (dynalite). */
class DynamoDbNotificationLogTest {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static Dynalite dynalite;
  private static DynamoDbClient dynamo;

  @BeforeAll
  static void start() {
    dynalite = Dynalite.start();
    dynamo = LocalAws.dynamoDb(dynalite.endpoint());
  }

  @AfterAll
  static void stop() {
    dynamo.close();
    dynalite.close();
  }

  private static DynamoDbNotificationLog newLog() {
    return new DynamoDbNotificationLog(dynamo, LocalAws.createTable(dynamo, "test-notifications-" + TABLES.incrementAndGet(), "pk"));
  }

  @Test
  void claim_shouldFollowTheLifecycle_whenClaimedReleasedAndSent() {
    DynamoDbNotificationLog log = newLog();
    Duration lease = Duration.ofSeconds(60);

    assertThat(log.claim("ord_1#SHIPPED", "a", T0, lease)).isInstanceOf(Claim.Claimed.class);
    assertThat(log.claim("ord_1#SHIPPED", "b", T0.plusSeconds(1), lease)).isEqualTo(new Claim.InFlight(T0.plusSeconds(60)));
    log.release("ord_1#SHIPPED", "b"); // not b's: no effect
    assertThat(log.claim("ord_1#SHIPPED", "b", T0.plusSeconds(2), lease)).isInstanceOf(Claim.InFlight.class);
    log.release("ord_1#SHIPPED", "a");
    assertThat(log.claim("ord_1#SHIPPED", "b", T0.plusSeconds(3), lease)).isInstanceOf(Claim.Claimed.class);
    assertThat(log.markSent("ord_1#SHIPPED", "a", "msg-a", T0.plusSeconds(4))).isFalse();
    assertThat(log.markSent("ord_1#SHIPPED", "b", "msg-b", T0.plusSeconds(4))).isTrue();
    assertThat(log.claim("ord_1#SHIPPED", "c", T0.plusSeconds(3600), lease)).isEqualTo(new Claim.AlreadySent("msg-b"));
  }

  @Test
  void claim_shouldLetARetryTakeOver_whenTheLeaseExpired() {
    DynamoDbNotificationLog log = newLog();
    log.claim("ord_2#OUT_OF_STOCK", "crashed", T0, Duration.ofSeconds(60));

    assertThat(log.claim("ord_2#OUT_OF_STOCK", "retry", T0.plusSeconds(61), Duration.ofSeconds(60))).isInstanceOf(Claim.Claimed.class);
  }

  @Test
  void notify_shouldSendExactlyOnce_whenTwentyDeliveriesRace() throws Exception {
    DynamoDbNotificationLog log = newLog();
    AtomicInteger sends = new AtomicInteger();
    CustomerNotifier notifier = new CustomerNotifier(log, n -> "msg-" + sends.incrementAndGet(), Clock.systemUTC(), Duration.ofSeconds(60));
    Notification n = Notification.outOfStock(new Events.OutOfStock("ord_RACE0001", "cus_1", "ada@example.com",
        List.of(new Events.OutOfStock.Unavailable("SKU-RARE-VASE", 1, 0))));

    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<NotificationSent>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return notifier.notify(n);
        }));
      }
      go.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }

    int inFlight = 0;
    List<NotificationSent> completed = new ArrayList<>();
    for (Future<NotificationSent> f : results) {
      try {
        completed.add(f.get());
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(NotificationInFlightException.class);
        inFlight++;
      }
    }
    assertThat(sends).hasValue(1);
    assertThat(completed).isNotEmpty().allSatisfy(s -> assertThat(s.messageId()).isEqualTo("msg-1"));
    assertThat(completed.size() + inFlight).isEqualTo(20);
    // The deliveries that were told to retry get the stored message id, without a second send.
    assertThat(notifier.notify(n).messageId()).isEqualTo("msg-1");
    assertThat(sends).hasValue(1);
  }
}
