package com.example.fanout.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.local.Endpoints;
import com.example.fanout.local.Eventually;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.OneService;
import com.example.fanout.local.testing.ClaimCheckSinkHandler.Handled;
import com.example.fanout.local.testing.Recorder;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.publish.PayloadLimits;
import com.example.fanout.publish.S3ClaimCheckStore;
import com.example.fanout.schema.EventSchemas;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A hosted function whose planned role lacks one statement: the bulk service's consumer, whose role
 * (the fixture, as Terraform would plan it without the claim-check grant) cannot read the claim
 * check of the event it receives. Its S3 call is refused with AccessDenied naming s3:GetObject, and
 * the event is never handled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IamEnforcementTest {
  private static final String SINK = "iam-bulk-sink";
  private LocalPlatform platform;
  private Endpoints endpoints;
  private Path services;

  @BeforeAll
  void start() {
    services = OneService.copy("bulk");
    platform = EnforcedPlatforms.build(services, "iam", "bulk-without-claim-check-grant.json");
    endpoints = platform.start();
  }

  @AfterAll
  void stop() {
    platform.close();
  }

  @Test
  void aFunctionWhoseRoleLacksTheClaimCheckStatement_shouldBeDeniedS3GetObject_andNeverHandleTheEvent() {
    Catalog catalog = Catalog.load(services);
    Envelope event = Envelope.first("BulkReady", 1, "com.example.bulk", "corr-" + UUID.randomUUID(),
        Map.of("blob", "y".repeat(PayloadLimits.SNS_MAX_MESSAGE_BYTES)), Instant.now());
    StaticCredentialsProvider operator = StaticCredentialsProvider.create(AwsBasicCredentials.create("operator", "operator"));
    try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(endpoints.eventBridge()).region(Region.US_EAST_1)
            .credentialsProvider(operator).httpClient(UrlConnectionHttpClient.create()).build();
        S3Client s3 = S3Client.builder().endpointOverride(endpoints.s3()).region(Region.US_EAST_1).forcePathStyle(true)
            .credentialsProvider(operator).httpClient(UrlConnectionHttpClient.create()).build()) {
      EventPublisher.builder().client(events).eventBusName(endpoints.eventBusName()).schemas(new EventSchemas(catalog))
          .claimChecks(new S3ClaimCheckStore(s3, platform.claimCheckBucket(), "claim-checks/"), catalog.claimCheckTypes())
          .build().publish(event).orThrow();
    }

    Eventually.await(Duration.ofSeconds(30), () -> platform.iam().denied().containsKey(SINK), "the sink's S3 call denied");
    assertThat(platform.iam().denied()).isEqualTo(Map.of(SINK, Set.of("s3:GetObject")));
    assertThat(platform.iam().used().get(SINK)).contains("s3:GetObject");
    assertThat(Recorder.received("bulk-sink", Handled.class)).noneMatch(h -> h.event().id().equals(event.id()));
  }
}
