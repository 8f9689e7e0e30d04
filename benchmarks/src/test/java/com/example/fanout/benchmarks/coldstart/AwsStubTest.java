package com.example.fanout.benchmarks.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.UDPEmitter;
import com.example.fanout.runtime.HeldClaim;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class AwsStubTest {
  @Test
  void overTls_shouldAnswerAwsCallsOverHttpsToClientsWithItsTrustStore_whenTheJdksAnchorsAreKept(@TempDir Path dir) throws Exception {
    try (AwsStub stub = AwsStub.overTls(dir)) {
      assertThat(stub.endpoint().getScheme()).isEqualTo("https");
      assertThat(stub.endpointEnvironment()).as("a port per service, as each is a host of its own in AWS")
          .containsKeys("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_EVENTBRIDGE", "AWS_ENDPOINT_URL_SQS")
          .allSatisfy((name, url) -> assertThat(url).startsWith("https://127.0.0.1:"));
      assertThat(java.util.Set.copyOf(stub.endpointEnvironment().values())).hasSize(stub.endpointEnvironment().size());
      assertThat(stub.tracesEndpoint().getScheme()).as("OTLP to the collector on localhost stays plain").isEqualTo("http");
      String store = stub.trustStoreFlags().stream().filter(f -> f.startsWith("-Djavax.net.ssl.trustStore=")).findFirst().orElseThrow()
          .substring("-Djavax.net.ssl.trustStore=".length());
      KeyStore trust = load(Path.of(store));
      assertThat(trust.size()).as("the JDK's trust anchors and the stub's certificate")
          .isEqualTo(load(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts")).size() + 1);

      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, tmf.getTrustManagers(), null);
      HttpsURLConnection call = (HttpsURLConnection) URI.create(stub.endpoint() + "/").toURL().openConnection();
      call.setSSLSocketFactory(client.getSocketFactory()); // the default hostname verifier checks the certificate's 127.0.0.1
      call.setRequestMethod("POST");
      call.setRequestProperty("X-Amz-Target", "AWSEvents.PutEvents");
      call.setDoOutput(true);
      call.getOutputStream().write("{\"Entries\":[{}]}".getBytes(StandardCharsets.UTF_8));
      assertThat(call.getResponseCode()).isEqualTo(200);
      try (InputStream body = call.getInputStream()) {
        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).contains("\"FailedEntryCount\":0");
      }
      assertThat(stub.takeCalls()).isEqualTo(1);
    }
  }

  @Test
  void endpointEnvironment_shouldSendEachSdkClientToItsServicesPort_whenAJvmStartsWithIt(@TempDir Path dir) throws Exception {
    // The SDK reads AWS_ENDPOINT_URL_<SERVICE> from the environment only, so the names are checked where a function
    // reads them: in a JVM started with them. A wrong name sends its client to AWS_ENDPOINT_URL's port instead.
    try (AwsStub stub = AwsStub.overTls(dir)) {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(stub.trustStoreFlags());
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), SdkEndpointsProbe.class.getName()));
      ProcessBuilder probe = new ProcessBuilder(command).redirectErrorStream(true);
      probe.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
      probe.environment().putAll(stub.endpointEnvironment());
      Process p = probe.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(output).isZero();

      Set<Integer> called = stub.takePortsCalled();
      assertThat(AwsStub.SERVICES).allSatisfy(service -> assertThat(called).as(service + "'s client, in " + output)
          .contains(URI.create(stub.endpointEnvironment().get("AWS_ENDPOINT_URL_" + service)).getPort()));
      assertThat(called).as("no client fell back to AWS_ENDPOINT_URL").hasSize(AwsStub.SERVICES.size())
          .doesNotContain(stub.endpoint().getPort());
    }
  }

  @Test
  void sendMessage_shouldBeAnsweredWithTheDigestsTheSqsClientChecks_andCountedAsDeadLettered() throws Exception {
    try (AwsStub stub = new AwsStub();
         SqsClient sqs = SqsClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
             .httpClient(UrlConnectionHttpClient.create()).build()) {
      var sent = sqs.sendMessage(r -> r.queueUrl(stub.endpoint() + "/000000000000/dev-inventory-reserve-stock-dlq")
          .messageBody("{\"detail\":\"poison\"}")
          .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String")
              .stringValue("schema-violation: /items must have at least 1 item").build())));

      assertThat(sent.md5OfMessageAttributes()).as("checked by the client, which throws on a mismatch").isNotBlank();
      assertThat(stub.takeDeadLettered()).isEqualTo(1);
    }
  }

  @Test
  void aClaimHeldElsewhere_shouldBeRefusedAsDynamoDbRefusesIt_andCounted() throws Exception {
    Map<String, AttributeValue> held = Map.of("id", AttributeValue.fromS("inventory.reserve-stock#" + HeldClaim.EVENT_ID),
        "status", AttributeValue.fromS("INPROGRESS"));
    try (AwsStub stub = new AwsStub();
         DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
             .httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName("bench-inventory-idempotency").item(held)
          .conditionExpression("attribute_not_exists(id)").returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
          .isInstanceOfSatisfying(ConditionalCheckFailedException.class, refused -> assertThat(refused.item()).isEqualTo(held));
      dynamo.putItem(r -> r.tableName("bench-inventory-idempotency").item(Map.of("id", AttributeValue.fromS("inventory.reserve-stock#evt_1")))
          .conditionExpression("attribute_not_exists(id)"));

      assertThat(stub.takeClaimsRefused()).as("the held claim, not the other").isEqualTo(1);
    }
  }

  @Test
  void takeTraceDocuments_shouldCountWhatTheXRaySdkSentSinceTheLastCall_andRefuseWhatXRayWouldNot() throws Exception {
    try (AwsStub stub = new AwsStub()) {
      DaemonConfiguration daemon = new DaemonConfiguration();
      daemon.setDaemonAddress(stub.xrayDaemonEnvironment().get("AWS_XRAY_DAEMON_ADDRESS"));
      AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard().withEmitter(new UDPEmitter(daemon)).build();
      recorder.beginSegment("bench-inventory-reserve-stock");
      recorder.endSegment();
      recorder.beginSegment("bench-inventory-reserve-stock");
      recorder.endSegment();

      assertThat(stub.takeTraceDocuments()).as("both segments, read before the count without a wait").isEqualTo(2);
      assertThat(stub.takeTraceDocuments()).as("none since").isZero();

      byte[] headless = "{\"name\":\"fn\"}".getBytes(StandardCharsets.UTF_8);
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.send(new DatagramPacket(headless, headless.length, InetAddress.getLoopbackAddress(),
            URI.create("udp://" + stub.xrayDaemonEnvironment().get("AWS_XRAY_DAEMON_ADDRESS")).getPort()));
      }
      assertThatThrownBy(stub::takeTraceDocuments).hasMessageContaining("refused 1 datagram");
    }
  }

  /** Without a password, as the JDK loads a trust store named by {@code javax.net.ssl.trustStore} alone. */
  private static KeyStore load(Path file) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, null);
    }
    return ks;
  }
}
