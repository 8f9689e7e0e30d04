package com.example.fanout.local.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** ElasticMq on a store directory: what a stop and a start on the same directory keep (see its Javadoc). */
class ElasticMqPersistenceTest {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
  private static final String TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  private static final Duration IN_FLIGHT = Duration.ofMinutes(10);

  @TempDir
  Path store;

  @Test
  void elasticMq_shouldKeepQueuesMessagesAndReceiveCounts_whenRestartedOnItsStoreDirectory() {
    Map<QueueAttributeName, String> queueBefore;
    Map<QueueAttributeName, String> dlqBefore;
    String inFlightReceipt;
    try (ElasticMq server = ElasticMq.start(0, store); SqsClient sqs = client(server)) {
      String dlqUrl = sqs.createQueue(b -> b.queueName("work-dlq")).queueUrl();
      String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      String url = sqs.createQueue(b -> b.queueName("work").attributes(Map.of(
          QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}",
          QueueAttributeName.VISIBILITY_TIMEOUT, "45",
          QueueAttributeName.MESSAGE_RETENTION_PERIOD, "86400"))).queueUrl();

      send(sqs, url, "deleted");
      Message deleted = receiveOne(sqs, url);
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(deleted.receiptHandle()));
      send(sqs, url, "in-flight");
      Message inFlight = receiveOne(sqs, url);
      assertThat(inFlight.body()).isEqualTo("in-flight");
      inFlightReceipt = inFlight.receiptHandle();
      send(sqs, url, "waiting");

      queueBefore = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
      dlqBefore = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.ALL)).attributes();
      assertThat(queueBefore)
          .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "45")
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "1")
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "1")
          .containsKey(QueueAttributeName.REDRIVE_POLICY);
    }

    try (ElasticMq server = ElasticMq.start(0, store); SqsClient sqs = client(server)) {
      assertThat(sqs.listQueues().queueUrls())
          .containsExactlyInAnyOrder(server.queueUrl("work"), server.queueUrl("work-dlq"));
      String url = sqs.getQueueUrl(b -> b.queueName("work")).queueUrl();
      String dlqUrl = sqs.getQueueUrl(b -> b.queueName("work-dlq")).queueUrl();
      assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes())
          .isEqualTo(queueBefore);
      assertThat(sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.ALL)).attributes())
          .isEqualTo(dlqBefore);

      // The in-flight message is still invisible (its 10-minute visibility timeout runs on); the other one is back.
      Message waiting = receiveOne(sqs, url);
      assertThat(waiting.body()).isEqualTo("waiting");
      assertAttributes(waiting, "waiting");
      assertThat(waiting.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1");
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(waiting.receiptHandle()));
      assertThat(receive(sqs, url)).isEmpty();

      // Its receipt handle from before the restart still works; its receive count goes on from 1.
      sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(inFlightReceipt).visibilityTimeout(0));
      Message again = receiveOne(sqs, url);
      assertThat(again.body()).isEqualTo("in-flight");
      assertAttributes(again, "in-flight");
      assertThat(again.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");

      // maxReceiveCount 2 counts the receive before the restart: the next receive moves it to the DLQ.
      sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(again.receiptHandle()).visibilityTimeout(0));
      assertThat(receive(sqs, url)).isEmpty();
      Message dead = receiveOne(sqs, dlqUrl);
      assertThat(dead.body()).isEqualTo("in-flight");
      assertAttributes(dead, "in-flight");
      // The deleted message never came back.
      assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes())
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
    }
  }

  @Test
  void elasticMq_shouldStartEmpty_whenStartedWithoutAStoreDirectory() {
    try (ElasticMq server = ElasticMq.start(0, store); SqsClient sqs = client(server)) {
      String url = sqs.createQueue(b -> b.queueName("kept")).queueUrl();
      send(sqs, url, "kept");
    }
    try (ElasticMq server = ElasticMq.start(0); SqsClient sqs = client(server)) {
      assertThat(sqs.listQueues().queueUrls()).isEmpty();
    }
    try (ElasticMq server = ElasticMq.start(0, store); SqsClient sqs = client(server)) {
      String url = sqs.getQueueUrl(b -> b.queueName("kept")).queueUrl();
      assertThat(receive(sqs, url)).extracting(Message::body).containsExactly("kept");
    }
  }

  @Test
  void start_shouldFailClearly_whenThisJvmAlreadyRunsAPersistedElasticMq(@TempDir Path other) {
    try (ElasticMq first = ElasticMq.start(0, store)) {
      assertThatThrownBy(() -> ElasticMq.start(0, other))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("this JVM already runs a persisted ElasticMQ on " + store.toAbsolutePath());
      try (ElasticMq inMemory = ElasticMq.start(0)) {
        assertThat(inMemory.endpoint()).isNotEqualTo(first.endpoint());
      }
    }
    ElasticMq.start(0, other).close();
  }

  @Test
  void start_shouldFailClearly_whenAnotherProcessHoldsTheStoreDirectory() throws IOException {
    try (Holder holder = Holder.start(store); SqsClient sqs = client(holder.endpoint())) {
      assertThatThrownBy(() -> ElasticMq.start(0, store))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ElasticMQ store " + store.toAbsolutePath() + " is in use by another running server");
      sqs.createQueue(b -> b.queueName("held")); // the holder still serves
    }
    // The holder closed its server and exited: the directory is free, and what it held is there.
    try (ElasticMq server = ElasticMq.start(0, store); SqsClient sqs = client(server)) {
      assertThat(sqs.listQueues().queueUrls()).containsExactly(server.queueUrl("held"));
    }
  }

  @Test
  void close_shouldReleaseTheStoreDirectory_forAnotherProcess() throws IOException {
    try (ElasticMq server = ElasticMq.start(0, store); SqsClient sqs = client(server)) {
      send(sqs, sqs.createQueue(b -> b.queueName("handed-over")).queueUrl(), "from the test JVM");
    }
    // This JVM goes on running: only close() can have released H2's lock for the other process.
    try (Holder holder = Holder.start(store); SqsClient sqs = client(holder.endpoint())) {
      String url = sqs.getQueueUrl(b -> b.queueName("handed-over")).queueUrl();
      assertThat(receive(sqs, url)).extracting(Message::body).containsExactly("from the test JVM");
    }
  }

  @Test
  void close_shouldLeaveNoThreadBehind_whenPersisted() throws Exception {
    ElasticMq.start(0, store).close(); // classes loaded: a JVM-wide pool started once would not count
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (ElasticMq server = ElasticMq.start(0, store); SqsClient sqs = client(server)) {
      send(sqs, sqs.createQueue(b -> b.queueName("threads")).queueUrl(), "one");
    }
    Instant deadline = Instant.now().plusSeconds(10);
    Set<String> left;
    do {
      left = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !before.contains(t) && t.isAlive())
          .map(Thread::getName)
          .filter(name -> !name.equals("Keep-Alive-Timer")) // the JDK's, for the SDK client's pooled connections
          .collect(Collectors.toSet());
    } while (!left.isEmpty() && Instant.now().isBefore(deadline) && pause());
    assertThat(left).isEmpty();
  }

  @Test
  void elasticMq_shouldKeepWritingItsStore_afterItsPersistenceFailedOnOneChange() {
    try (ElasticMq server = ElasticMq.start(0, store); SqsClient sqs = client(server)) {
      String url = sqs.createQueue(b -> b.queueName("work")).queueUrl();
      send(sqs, url, "before");
      // What ElasticMQ 1.7.1 does under load: the store fails on one change (there, a message the queue
      // actor is still changing); a restarted persistence actor would write nothing after it.
      server.persistence().tell(new org.elasticmq.actor.queue.QueueEvent.MessageUpdated("work", null),
          org.apache.pekko.actor.ActorRef.noSender());
      send(sqs, url, "after");
    }

    try (ElasticMq server = ElasticMq.start(0, store); SqsClient sqs = client(server)) {
      String url = sqs.getQueueUrl(b -> b.queueName("work")).queueUrl();
      assertThat(receive(sqs, url)).extracting(Message::body).containsExactlyInAnyOrder("before", "after");
    }
  }

  /** Between two looks at the threads still running. */
  private static boolean pause() throws InterruptedException {
    Thread.sleep(20);
    return true;
  }

  private static void send(SqsClient sqs, String url, String body) {
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)
        .messageAttributes(Map.of(
            "kind", MessageAttributeValue.builder().dataType("String").stringValue("kind-of-" + body).build(),
            "size", MessageAttributeValue.builder().dataType("Number.int").stringValue(String.valueOf(body.length())).build(),
            "raw", MessageAttributeValue.builder().dataType("Binary")
                .binaryValue(SdkBytes.fromUtf8String("bytes-of-" + body)).build()))
        .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
            MessageSystemAttributeValue.builder().dataType("String").stringValue(TRACE_HEADER).build())));
  }

  private static void assertAttributes(Message message, String body) {
    assertThat(message.messageAttributes()).isEqualTo(Map.of(
        "kind", MessageAttributeValue.builder().dataType("String").stringValue("kind-of-" + body).build(),
        "size", MessageAttributeValue.builder().dataType("Number.int").stringValue(String.valueOf(body.length())).build(),
        "raw", MessageAttributeValue.builder().dataType("Binary")
            .binaryValue(SdkBytes.fromUtf8String("bytes-of-" + body)).build()));
    assertThat(message.attributes()).containsEntry(MessageSystemAttributeName.AWS_TRACE_HEADER, TRACE_HEADER);
  }

  private static List<Message> receive(SqsClient sqs, String url) {
    return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
        .visibilityTimeout((int) IN_FLIGHT.toSeconds())
        .messageAttributeNames("All")
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
  }

  private static Message receiveOne(SqsClient sqs, String url) {
    List<Message> messages = receive(sqs, url);
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  private static SqsClient client(ElasticMq server) {
    return client(server.endpoint());
  }

  private static SqsClient client(URI endpoint) {
    return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** Another JVM running {@link ElasticMqStoreHolder} on a store directory until its stdin closes. */
  private record Holder(Process process, URI endpoint) implements AutoCloseable {
    static Holder start(Path store) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          ElasticMqStoreHolder.class.getName(), store.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith(ElasticMqStoreHolder.READY)) {
        process.destroyForcibly();
        throw new AssertionError("the holder JVM did not start its ElasticMQ: " + line);
      }
      return new Holder(process, URI.create(line.substring(ElasticMqStoreHolder.READY.length())));
    }

    @Override
    public void close() throws IOException {
      process.getOutputStream().close();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("the holder JVM did not stop within 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new AssertionError("interrupted while the holder JVM stopped", e);
      }
      assertThat(process.exitValue()).as("the holder JVM's exit code").isZero();
    }
  }
}
