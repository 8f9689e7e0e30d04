package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LoopbackEndpointTest {
  @Test
  void aPost_shouldBeAnsweredWithAnEmptyJsonObjectAndTheConnectionClosed_whenItsBodyHasBeenRead() throws IOException {
    List<LoopbackEndpoint.Request> requests = new CopyOnWriteArrayList<>();
    try (LoopbackEndpoint endpoint = new LoopbackEndpoint(requests::add)) {
      HttpURLConnection c = (HttpURLConnection) endpoint.endpoint().toURL().openConnection();
      c.setRequestMethod("POST");
      c.setRequestProperty("X-Amz-Target", "DynamoDB_20120810.PutItem");
      c.setDoOutput(true);
      c.getOutputStream().write("{\"TableName\":\"prime\"}".getBytes(StandardCharsets.UTF_8));

      assertThat(c.getResponseCode()).isEqualTo(200);
      assertThat(c.getHeaderField("Connection")).isEqualTo("close");
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
      assertThat(requests).containsExactly(
          new LoopbackEndpoint.Request("POST / HTTP/1.1", "DynamoDB_20120810.PutItem", "{\"TableName\":\"prime\"}"));
      assertThat(endpoint.answered()).isEqualTo(1);
    }
  }

  @Test
  void aConnection_shouldBeKeptAliveUpToItsLastRequest_andClosedByEveryAnswerOnceAsked() throws IOException {
    try (LoopbackEndpoint endpoint = new LoopbackEndpoint(request -> { }, null, 3)) {
      assertThat(get(endpoint)).isEqualTo("keep-alive");
      assertThat(get(endpoint)).isEqualTo("keep-alive");
      assertThat(endpoint.openConnections()).as("kept alive for the next request").isEqualTo(1);
      assertThat(get(endpoint)).isEqualTo("close");
      assertThat(endpoint.openConnections()).as("closed by its third answer").isZero();
      assertThat(get(endpoint)).isEqualTo("keep-alive");

      endpoint.closeAfterEveryAnswer();

      assertThat(get(endpoint)).isEqualTo("close");
      assertThat(endpoint.connections()).as("the JDK reused each kept-alive connection").isEqualTo(2);
      assertThat(endpoint.openConnections()).isZero();
      assertThat(endpoint.answered()).isEqualTo(5);
    }
  }

  @Test
  void theAnswers_shouldGiveTheSdkWhatItsCallersNeed_anEventIdPerEntryTheSentMessagesDigestsAndAMessageId()
      throws IOException {
    try (LoopbackEndpoint endpoint = new LoopbackEndpoint(request -> { });
         var eventBridge = sdk(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder(), endpoint);
         var sqs = sdk(software.amazon.awssdk.services.sqs.SqsClient.builder(), endpoint);
         var ses = sdk(software.amazon.awssdk.services.sesv2.SesV2Client.builder(), endpoint);
         var dynamo = sdk(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder(), endpoint)) {
      var published = eventBridge.putEvents(r -> r.entries(
          e -> e.source("com.example.orders").detailType("OrderPlaced").detail("{}"),
          e -> e.source("com.example.orders").detailType("OrderPlaced").detail("{}")));
      var sent = ses.sendEmail(r -> r.fromEmailAddress("orders@example.com").destination(d -> d.toAddresses("ada@example.com"))
          .content(c -> c.simple(m -> m.subject(t -> t.data("Shipped")).body(b -> b.text(t -> t.data("On its way"))))));

      assertThat(published.failedEntryCount()).isZero();
      assertThat(published.entries()).hasSize(2).allSatisfy(entry -> assertThat(entry.eventId()).isNotBlank());
      assertThat(sent.messageId()).isNotBlank();
      // The SQS client checks both digests against its own and refuses the answer if either differs.
      var deadLettered = sqs.sendMessage(r -> r.queueUrl("https://sqs.us-east-1.amazonaws.com/111122223333/dev-dlq")
          .messageBody("{\"note\":\"crème brûlée\"}")
          .messageAttributes(java.util.Map.of(
              "reason", string("schema-violation: /totalCents must be ≥ 0"),
              "consumer", string("inventory.reserve-stock"),
              "payload", software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("Binary")
                  .binaryValue(software.amazon.awssdk.core.SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 0xff}))
                  .build())));
      assertThat(deadLettered.md5OfMessageBody()).isEqualTo(SqsMessageDigests.ofBody("{\"note\":\"crème brûlée\"}"));
      assertThat(deadLettered.md5OfMessageAttributes()).isNotBlank();
      assertThat(sqs.sendMessage(r -> r.queueUrl("https://sqs.us-east-1.amazonaws.com/111122223333/dev-dlq")
          .messageBody("no attributes")).md5OfMessageAttributes()).as("none sent, none answered").isNull();
      assertThat(dynamo.getItem(r -> r.tableName("stock").key(java.util.Map.of(
          "sku", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SKU-RED-MUG")))).hasItem())
          .as("every other call: the empty answer").isFalse();
    }
  }

  @Test
  void aClaimHeldElsewhere_shouldBeRefusedAsDynamoDbRefusesIt_withTheItemInProgress() throws IOException {
    var held = java.util.Map.of(
        "id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("inventory.reserve-stock#" + HeldClaim.EVENT_ID),
        "status", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("INPROGRESS"));
    try (LoopbackEndpoint endpoint = new LoopbackEndpoint(request -> { });
         var dynamo = sdk(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder(), endpoint)) {
      assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName("dev-idempotency").item(held).conditionExpression("attribute_not_exists(id)")
          .returnValuesOnConditionCheckFailure(software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure.ALL_OLD)))
          .isInstanceOfSatisfying(software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.class,
              refused -> assertThat(refused.item()).isEqualTo(held));
      assertThat(endpoint.answered()).as("refused once: the SDK does not retry a failed condition").isEqualTo(1);
      dynamo.putItem(r -> r.tableName("dev-idempotency").conditionExpression("attribute_not_exists(id)").item(java.util.Map.of(
          "id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("inventory.reserve-stock#evt_1"))));
    }
  }

  private static software.amazon.awssdk.services.sqs.model.MessageAttributeValue string(String value) {
    return software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String").stringValue(value)
        .build();
  }

  private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
      & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C sdk(B builder, LoopbackEndpoint endpoint) {
    return builder.endpointOverride(endpoint.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
        .httpClient(KeepAliveConnections.httpClient()).build();
  }

  @Test
  void aConnection_shouldServeAtLeastOneRequest() {
    assertThatThrownBy(() -> new LoopbackEndpoint(request -> { }, null, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A GET through the JDK's client, its body read whole so that the connection may be kept; returns the answer's {@code Connection}. */
  private static String get(LoopbackEndpoint endpoint) throws IOException {
    HttpURLConnection c = (HttpURLConnection) endpoint.endpoint().toURL().openConnection();
    assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
    c.getInputStream().close();
    return c.getHeaderField("Connection");
  }

  @Test
  void close_shouldLeaveNoListenerAndNoThread_whenAConnectionIsStillOpen() throws IOException {
    URI address;
    Socket idle;
    try (LoopbackEndpoint endpoint = new LoopbackEndpoint(request -> { })) {
      address = endpoint.endpoint();
      idle = new Socket(address.getHost(), address.getPort()); // connected, sends nothing
    }

    assertThat(closedByPeer(idle)).as("the endpoint closed the idle connection, accepted or not").isTrue();
    assertThatThrownBy(() -> new Socket(address.getHost(), address.getPort()).close()).isInstanceOf(ConnectException.class);
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("loopback-endpoint"));
    idle.close();
  }

  /** End of stream, or a reset if the connection was still in the listener's backlog when it closed. */
  private static boolean closedByPeer(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (SocketException reset) {
      return true;
    }
  }
}
