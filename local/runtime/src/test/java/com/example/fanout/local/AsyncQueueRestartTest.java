package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.testing.Recorder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A persisted platform's stop keeps an S3 notification waiting for Lambda's next attempt, and the
 * next start on the same data directory makes that attempt: the event is neither lost nor started
 * over. The clock runs at real speed, so the minute before the second attempt only ends by the stop.
 */
class AsyncQueueRestartTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String ENV = "restart";

  @Test
  void persistedRestart_shouldMakeTheNextAttemptOfAnS3EventWaitingAtTheStop() throws IOException {
    Path services = OneService.copy("shop");
    Path data = Path.of("target/local-data-" + UUID.randomUUID());
    String key = "incoming/fail-" + UUID.randomUUID() + ".csv";

    LocalPlatform before = start(services, data, Ports.freeAndKeepable());
    try (S3Client s3 = s3(before.endpoints())) {
      s3.putObject(r -> r.bucket(ENV + "-shop-imports-000000000000").key(key), RequestBody.fromString("sku,qty\nx,1\n"));
      Eventually.await(TIMEOUT, () -> attemptsOf(key) == 1, "the first attempt made");
    } finally {
      before.close();
    }
    assertThat(before.asyncEventsKeptAtStop()).as("the event waiting for its second attempt, kept").isOne();

    LocalPlatform after = start(services, data, before.endpoints().ports());
    try {
      Eventually.await(TIMEOUT, () -> attemptsOf(key) == 2, "the second attempt made at the start");
    } finally {
      after.close();
    }
    assertThat(after.asyncEventsKeptAtStop()).as("the event waiting for its third and last attempt, kept again").isOne();
    JsonNode kept = EventJson.parse(Files.readString(data.resolve("lambda").resolve("async-events.jsonl")));
    assertThat(kept.get("function").asText()).isEqualTo(ENV + "-shop-imports");
    assertThat(kept.get("attempt").asInt()).isEqualTo(3);
    assertThat(kept.at("/event/Records/0/s3/object/key").asText()).isEqualTo(key);
  }

  private static LocalPlatform start(Path services, Path data, Ports ports) {
    LocalPlatform platform = LocalPlatform.builder().servicesDir(services).env(ENV).ports(ports).dataDir(data).persist(true)
        .clockSpeed(1).exportSdkProperties(false).build();
    platform.start();
    return platform;
  }

  private static long attemptsOf(String key) {
    return Recorder.received("shop-imports", String.class).stream().filter(key::equals).count();
  }

  private static S3Client s3(Endpoints endpoints) {
    return S3Client.builder().endpointOverride(endpoints.s3()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }
}
