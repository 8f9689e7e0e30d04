package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.runtime.KeepAliveConnections.SmallBodiesBuffered;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class KeepAliveConnectionsTest {
  private RecordingServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void createConnection_shouldBufferSmallBodiesAndStreamLargeOnes_whenTheSdkAsksForFixedLengthStreaming() {
    KeepAliveConnections connections = new KeepAliveConnections();

    SmallBodiesBuffered small = (SmallBodiesBuffered) connections.createConnection(URI.create("http://127.0.0.1:9/"));
    small.setFixedLengthStreamingMode(KeepAliveConnections.STREAMED_ABOVE_BYTES);
    SmallBodiesBuffered large = (SmallBodiesBuffered) connections.createConnection(URI.create("http://127.0.0.1:9/"));
    large.setFixedLengthStreamingMode(KeepAliveConnections.STREAMED_ABOVE_BYTES + 1);
    SmallBodiesBuffered chunked = (SmallBodiesBuffered) connections.createConnection(URI.create("http://127.0.0.1:9/"));
    chunked.setChunkedStreamingMode(-1);

    assertThat(small.streamed()).isFalse();
    assertThat(large.streamed()).isTrue();
    assertThat(chunked.streamed()).isTrue();
  }

  @Test
  void createConnection_shouldApplyTheTimeouts_whenGivenOrTheSdkDefaults() {
    var defaults = new KeepAliveConnections().createConnection(URI.create("https://dynamodb.us-east-1.amazonaws.com/"));
    var given = new KeepAliveConnections(Duration.ofMillis(1500), Duration.ofSeconds(10)).createConnection(URI.create("http://127.0.0.1:9/"));

    assertThat(defaults.getConnectTimeout()).isEqualTo(2_000);
    assertThat(defaults.getReadTimeout()).isEqualTo(30_000);
    assertThat(defaults.getURL()).hasToString("https://dynamodb.us-east-1.amazonaws.com/");
    assertThat(given.getConnectTimeout()).isEqualTo(1_500);
    assertThat(given.getReadTimeout()).isEqualTo(10_000);
  }

  @Test
  void sdkCalls_shouldSendEachBodyWhole_andKeepOneConnection_whenCalledInSequence() throws IOException {
    server = new RecordingServer(false);
    try (DynamoDbClient dynamoDb = client(server)) {
      for (int i = 0; i < 20; i++) {
        int n = i;
        dynamoDb.putItem(r -> r.tableName("orders").item(Map.of("id", AttributeValue.fromS("ord_" + n))));
      }
      // One body far above the buffering limit: streamed, and still whole.
      dynamoDb.putItem(r -> r.tableName("orders").item(Map.of("id", AttributeValue.fromS("ord_large"),
          "note", AttributeValue.fromS("x".repeat(100_000)))));
    }

    assertThat(server.requests).hasSize(21);
    assertThat(server.requests).allSatisfy(r -> {
      assertThat(r.declaredLength()).as("Content-Length").isEqualTo(r.body().length());
      assertThat(r.body()).startsWith("{").contains("\"TableName\":\"orders\"").endsWith("}");
    });
    assertThat(server.requests.get(20).body()).contains("ord_large").hasSizeGreaterThan(100_000);
    assertThat(server.connections).as("kept alive across the calls").hasValue(1);
  }

  @Test
  void sdkCalls_shouldEachReachTheServerOnce_whenTheServerClosesTheKeptAliveConnectionAfterEveryAnswer() throws IOException {
    // A buffered body is resent by the JDK on a fresh connection when the kept-alive one is found
    // closed; the SDK's own retries are off so that this alone is what makes every call succeed.
    server = new RecordingServer(true);
    try (DynamoDbClient dynamoDb = client(server)) {
      for (int i = 0; i < 5; i++) {
        int n = i;
        dynamoDb.putItem(r -> r.tableName("orders").item(Map.of("id", AttributeValue.fromS("ord_" + n))));
      }
    }

    assertThat(server.requests).extracting(r -> r.body().replaceAll(".*\"S\":\"(ord_\\d)\".*", "$1"))
        .containsExactly("ord_0", "ord_1", "ord_2", "ord_3", "ord_4");
    assertThat(server.connections).hasValue(5);
  }

  private static DynamoDbClient client(RecordingServer server) {
    return DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(KeepAliveConnections.httpClient())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** An HTTP/1.1 server that answers every request with {@code {}} and records it, closing the connection after each answer if asked. */
  private static final class RecordingServer implements AutoCloseable {
    record Request(long declaredLength, String body) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket socket;
    private final boolean closeAfterAnswer;

    RecordingServer(boolean closeAfterAnswer) throws IOException {
      this.closeAfterAnswer = closeAfterAnswer;
      this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(this::accept);
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void accept() {
      try {
        while (!socket.isClosed()) {
          Socket s = socket.accept();
          connections.incrementAndGet();
          Thread.ofVirtual().start(() -> serve(s));
        }
      } catch (IOException closed) {
        // The test is over.
      }
    }

    private void serve(Socket s) {
      try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
        while (true) {
          long length = LoopbackEndpoint.readHead(in).contentLength();
          byte[] body = in.readNBytes((int) Math.max(0, length));
          requests.add(new Request(length, new String(body, StandardCharsets.UTF_8)));
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          if (closeAfterAnswer) {
            return;
          }
        }
      } catch (IOException endOfConnection) {
        // The client closed it.
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
