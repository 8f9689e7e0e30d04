package com.example.fanout.local.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.Eventually;
import com.example.fanout.local.observability.SpanLog;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream and its mapping's checkpoints carried over a restart of the platform. */
class StreamStoreTest {
  @TempDir
  Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private StreamTable table(StreamStore store) {
    open.add(store::close);
    return new StreamTable("local-orders-orders", "pk", null, "NEW_IMAGE", "us-east-1", "000000000000", store);
  }

  private StreamFeed feed(StreamFeed.Invoker invoker) {
    SpanLog spans = new SpanLog(dir.resolve("traces"));
    // One lane: a lane is sequential, so k4 invoked means k1..k3 are checkpointed and k5 waits behind it.
    StreamFeed feed = new StreamFeed("orders-outbox-relay", 1, Duration.ZERO, 1, StreamFilter.of(List.of()), "fn", invoker, spans);
    open.add(spans);
    open.add(feed);
    return feed;
  }

  private static void write(StreamTable table, String pk) {
    synchronized (table.emitLock) {
      long sequence = table.sequence.incrementAndGet();
      ObjectNode form = EventJson.mapper().createObjectNode();
      form.put("eventID", "e-" + pk);
      form.put("eventName", "INSERT");
      form.put("eventVersion", "1.1");
      form.put("eventSource", "aws:dynamodb");
      form.put("awsRegion", "us-east-1");
      ObjectNode dynamodb = form.putObject("dynamodb");
      dynamodb.put("ApproximateCreationDateTime", Instant.now().getEpochSecond());
      dynamodb.putObject("Keys").putObject("pk").put("S", pk);
      dynamodb.putObject("NewImage").putObject("pk").put("S", pk);
      dynamodb.put("SequenceNumber", Long.toString(sequence));
      dynamodb.put("SizeBytes", 20);
      dynamodb.put("StreamViewType", "NEW_IMAGE");
      table.emit(new StreamLog.Entry(sequence, form, Instant.now()));
    }
  }

  private static String pk(DynamodbEvent.DynamodbStreamRecord r) {
    return r.getDynamodb().getKeys().get("pk").getS();
  }

  @Test
  void restart_shouldOfferTheMappingOnlyTheRecordsAfterItsCheckpoint_andCarryTheSequenceOn() throws Exception {
    List<String> handledBefore = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch stuck = new CountDownLatch(1);
    StreamTable before = table(StreamStore.in(dir.resolve("streams")));
    StreamFeed relay = feed(event -> {
      String pk = pk(event.getRecords().getFirst());
      if (pk.equals("k4")) {
        stuck.countDown();
        new CountDownLatch(1).await(); // the platform stops while this batch is in flight
      }
      handledBefore.add(pk);
      return null;
    });
    before.resume(relay);
    for (String pk : List.of("k1", "k2", "k3")) {
      write(before, pk);
    }
    Eventually.await(Duration.ofSeconds(10), () -> relay.delivered() == 3, "k1..k3 delivered");
    write(before, "k4");
    write(before, "k5");
    stuck.await();
    relay.close();

    List<String> handledAfter = Collections.synchronizedList(new ArrayList<>());
    StreamTable after = table(StreamStore.in(dir.resolve("streams")));
    assertThat(after.log.read(0, 100)).extracting(e -> e.streamsForm().path("dynamodb").path("Keys").path("pk").path("S").asText())
        .containsExactly("k1", "k2", "k3", "k4", "k5");
    StreamFeed resumed = feed(event -> {
      event.getRecords().forEach(r -> handledAfter.add(pk(r)));
      return null;
    });
    after.resume(resumed);
    write(after, "k6");

    Eventually.await(Duration.ofSeconds(10), () -> handledAfter.size() >= 3, "the records after the checkpoint handled");
    assertThat(handledBefore).containsExactly("k1", "k2", "k3");
    assertThat(handledAfter).containsExactly("k4", "k5", "k6");
    List<Long> sequence = after.log.read(0, 100).stream().map(StreamLog.Entry::sequenceNumber).toList();
    assertThat(sequence).isSorted().doesNotHaveDuplicates().hasSize(6);
  }

  @Test
  void load_shouldSkipALineCutShortByAKilledProcess() throws Exception {
    StreamTable before = table(StreamStore.in(dir.resolve("streams")));
    write(before, "k1");
    Files.writeString(dir.resolve("streams").resolve("local-orders-orders.jsonl"), "{\"sequenceNumber\":9,\"wri",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    StreamTable after = table(StreamStore.in(dir.resolve("streams")));
    write(after, "k2");
    StreamTable again = table(StreamStore.in(dir.resolve("streams")));

    assertThat(after.log.read(0, 100)).hasSize(2);
    assertThat(again.log.read(0, 100)).extracting(StreamLog.Entry::sequenceNumber)
        .containsExactly(after.log.read(0, 100).stream().map(StreamLog.Entry::sequenceNumber).toArray(Long[]::new));
  }

  @Test
  void checkpoints_shouldGiveEveryLaneTheLowest_whenTheMappingHadAnotherNumberOfLanes() {
    StreamStore store = StreamStore.in(dir);
    store.checkpoint("m", new long[] {7, 3, 9});

    assertThat(store.checkpoints("m", 2)).containsExactly(3, 3);
    assertThat(store.checkpoints("m", 3)).containsExactly(7, 3, 9);
    assertThat(StreamStore.memory().checkpoints("m", 3)).containsExactly(0, 0, 0);
  }
}
