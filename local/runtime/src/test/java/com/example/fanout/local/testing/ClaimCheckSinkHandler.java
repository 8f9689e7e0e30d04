package com.example.fanout.local.testing;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.event.Envelope;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.publish.S3ClaimCheckStore;
import com.example.fanout.runtime.FunctionEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A consumer on the shared-lib runtime that records every event it handled, with its data as the
 * handler saw it: claim checks resolved. Its clients use the function's own endpoints and
 * credentials from its environment, as the SDK would read them from a Lambda's.
 */
public final class ClaimCheckSinkHandler extends EventConsumer {
  /** What the handler saw: the envelope, data resolved. */
  public record Handled(Envelope event) {}

  public ClaimCheckSinkHandler() {
    this(fromFunctionEnvironment());
  }

  ClaimCheckSinkHandler(ConsumerRuntime runtime) {
    this(runtime, FunctionName.current());
  }

  private ClaimCheckSinkHandler(ConsumerRuntime runtime, String function) {
    super(runtime, handlers -> handlers.on("BulkReady", JsonNode.class, (event, data, ctx) -> Recorder.record(function, new Handled(event))));
  }

  private static ConsumerRuntime fromFunctionEnvironment() {
    ConsumerRuntime.Builder b = ConsumerRuntime.builder()
        .service(FunctionEnvironment.require("FANOUT_SERVICE"))
        .consumer(FunctionEnvironment.require("FANOUT_FUNCTION"))
        .catalog(Catalog.load(Path.of("src/test/resources/services")))
        .sqs(local(SqsClient.builder(), "SQS").build())
        .deadLetterQueueUrl(FunctionEnvironment.require("DLQ_URL"))
        .eventBridge(local(EventBridgeClient.builder(), "EVENTBRIDGE").build(), FunctionEnvironment.require("EVENT_BUS_NAME"));
    FunctionEnvironment.get("CLAIM_CHECK_BUCKET").ifPresent(bucket ->
        b.claimChecks(new S3ClaimCheckStore(local(S3Client.builder(), "S3").forcePathStyle(true).build(), bucket, "claim-checks/")));
    return b.build();
  }

  private static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B local(B builder, String service) {
    return builder.endpointOverride(URI.create(FunctionEnvironment.require("AWS_ENDPOINT_URL_" + service)))
        .region(Region.of(FunctionEnvironment.require("AWS_REGION")))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            FunctionEnvironment.require("AWS_ACCESS_KEY_ID"), FunctionEnvironment.require("AWS_SECRET_ACCESS_KEY"))))
        .httpClient(UrlConnectionHttpClient.create());
  }
}
