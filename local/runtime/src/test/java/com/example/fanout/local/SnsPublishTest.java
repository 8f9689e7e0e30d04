package com.example.fanout.local;

import static com.example.fanout.local.Events.newCorrelationId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.event.EventJson;
import com.example.fanout.publish.PayloadLimits;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;

/**
 * SNS {@code Publish}/{@code PublishBatch} on a domain topic with the AWS SDK v2 {@code SnsClient}
 * (query protocol) and with the JSON protocol, at the endpoint {@code AWS_ENDPOINT_URL_SNS} names:
 * the message is filtered by the subscriptions' policies and delivered like EventBridge's.
 */
@ExtendWith(TestPlatform.Lifecycle.class)
class SnsPublishTest {
  private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:t-shop-events";
  private static SnsClient sns;

  @BeforeAll
  static void start() {
    assertThat(TestPlatform.endpoints().sdkEnvironment()).containsEntry("AWS_ENDPOINT_URL_SNS", TestPlatform.endpoints().eventBridge().toString());
    sns = SnsClient.builder().endpointOverride(TestPlatform.endpoints().eventBridge()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  @AfterAll
  static void closeClient() {
    sns.close();
  }

  @Test
  void publish_shouldDeliverToTheSubscriptionsWhosePoliciesMatch_whenTheSdkPublishesAnEvent() {
    String web = newCorrelationId();
    String mobile = newCorrelationId();

    String id = sns.publish(b -> b.topicArn(TOPIC).message(event(web, "web"))).messageId();
    sns.publish(b -> b.topicArn(TOPIC).message(event(mobile, "mobile")));

    assertThat(id).isNotBlank();
    Eventually.await(TestPlatform.TIMEOUT, () -> RoutingTest.deliveredQueues(web).size() == 2 && RoutingTest.deliveredQueues(mobile).size() == 1);
    assertThat(RoutingTest.deliveredQueues(web)).containsExactlyInAnyOrder("t-billing-charge", "t-billing-audit");
    assertThat(RoutingTest.deliveredQueues(mobile)).containsExactly("t-billing-audit");
  }

  @Test
  void publish_shouldFailWithInvalidParameter_whenTheMessageIsOverSnsLimit() {
    String body = "{\"pad\":\"" + "x".repeat(PayloadLimits.SNS_MAX_MESSAGE_BYTES) + "\"}";
    assertThatThrownBy(() -> sns.publish(b -> b.topicArn(TOPIC).message(body)))
        .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid parameter: Message too long");
        });
  }

  @Test
  void publish_shouldFailWithNotFound_whenTheTopicDoesNotExist() {
    assertThatThrownBy(() -> sns.publish(b -> b.topicArn("arn:aws:sns:us-east-1:000000000000:t-nobody-events").message("{}")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void publish_shouldAcceptAndDeliverNowhere_whenTheMessageIsNotJson() {
    String id = sns.publish(b -> b.topicArn(TOPIC).message("plain text, not an event")).messageId();
    assertThat(id).isNotBlank();
  }

  @Test
  void publishBatch_shouldPublishEachEntry_andRefuseMoreThanTenEntries() {
    String first = newCorrelationId();
    String second = newCorrelationId();
    PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(TOPIC).publishBatchRequestEntries(
        PublishBatchRequestEntry.builder().id("a").message(event(first, "web")).build(),
        PublishBatchRequestEntry.builder().id("b").message(event(second, "mobile")).build()));

    assertThat(response.successful()).extracting(s -> s.id()).containsExactly("a", "b");
    assertThat(response.failed()).isEmpty();
    Eventually.await(TestPlatform.TIMEOUT, () -> RoutingTest.deliveredQueues(first).size() == 2 && RoutingTest.deliveredQueues(second).size() == 1);

    List<PublishBatchRequestEntry> eleven = IntStream.range(0, 11)
        .mapToObj(i -> PublishBatchRequestEntry.builder().id("e" + i).message("{}").build()).toList();
    assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(TOPIC).publishBatchRequestEntries(eleven)))
        .isInstanceOf(TooManyEntriesInBatchRequestException.class);
  }

  @Test
  void publish_shouldWorkOverTheJsonProtocol_andAnswerErrorsInIt() throws Exception {
    String web = newCorrelationId();
    HttpResponse<String> ok = json("Publish", EventJson.mapper().createObjectNode().put("TopicArn", TOPIC).put("Message", event(web, "web")));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(EventJson.parse(ok.body()).path("MessageId").asText()).isNotBlank();
    Eventually.await(TestPlatform.TIMEOUT, () -> RoutingTest.deliveredQueues(web).size() == 2);

    HttpResponse<String> missing = json("Publish", EventJson.mapper().createObjectNode().put("TopicArn", TOPIC + "-none").put("Message", "{}"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(EventJson.parse(missing.body()).path("__type").asText()).isEqualTo("NotFound");

    var batch = EventJson.mapper().createObjectNode().put("TopicArn", TOPIC);
    batch.putArray("PublishBatchRequestEntries").addObject().put("Id", "x").put("Message", "{}");
    JsonNode answer = EventJson.parse(json("PublishBatch", batch).body());
    assertThat(answer.path("Successful").get(0).path("Id").asText()).isEqualTo("x");
  }

  private static HttpResponse<String> json(String action, JsonNode body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(TestPlatform.endpoints().eventBridge())
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "AmazonSimpleNotificationService." + action)
        .POST(HttpRequest.BodyPublishers.ofString(EventJson.write(body))).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An OrderPlaced event as EventBridge hands it to the topic. */
  private static String event(String correlationId, String channel) {
    var detail = Events.entry("com.example.shop", "OrderPlaced", correlationId, java.util.Map.of("channel", channel)).detail();
    return "{\"version\":\"0\",\"id\":\"" + java.util.UUID.randomUUID() + "\",\"detail-type\":\"OrderPlaced\",\"source\":\"com.example.shop\","
        + "\"account\":\"000000000000\",\"time\":\"2026-12-01T00:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + detail + "}";
  }
}
