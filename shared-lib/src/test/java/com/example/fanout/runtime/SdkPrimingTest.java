package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.tracing.Tracer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SdkPrimingTest {
  private static final Set<String> PUBLISHES = Set.of("events:PutEvents");

  @Test
  void run_shouldAnswerEveryDryCallInProcess_whenNoAwsIsReachable() {
    // Four calls a round (claim, read, completion, PutEvents), each marshalled, signed and unmarshalled by
    // the SDK; a call the in-process answer cannot satisfy would stop the count short.
    assertThat(SdkPriming.run(3, Tracer.none(), PUBLISHES)).isEqualTo(12);
  }

  @Test
  void prime_shouldMakeTheIdempotencyCallsAndOneDryCallPerActionGranted_eachAsTheSdkSendsIt() {
    List<LoopbackEndpoint.Request> requests = new CopyOnWriteArrayList<>();
    Set<String> granted = Set.of("dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem",
        "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
        "ses:SendEmail", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "events:PutEvents");

    SdkPriming.Outcome outcome =
        SdkPriming.prime(2, Tracer.none(), granted, null, SdkPriming.REQUESTS_PER_CONNECTION, requests::add);

    List<String> firstRound = requests.stream().limit(16).map(SdkPrimingTest::operation).toList();
    assertThat(firstRound).containsExactly(
        "DynamoDB_20120810.PutItem", "DynamoDB_20120810.GetItem", "DynamoDB_20120810.UpdateItem",
        "DynamoDB_20120810.DeleteItem", "DynamoDB_20120810.Query", "DynamoDB_20120810.Scan",
        "DynamoDB_20120810.BatchGetItem", "DynamoDB_20120810.BatchWriteItem",
        "GET /prime", "PUT /prime", "DELETE /prime", // the object's key; the bucket is the host's first label
        "POST /v2/email/outbound-emails", "secretsmanager.GetSecretValue", "AmazonSSM.GetParameter", "AmazonSSM.GetParameters",
        "AWSEvents.PutEvents");
    assertThat(outcome.answered()).as("every call of both rounds").isEqualTo(32);
    assertThat(outcome.leftOpen()).isZero();
  }

  @Test
  void prime_shouldMakeOnlyTheIdempotencyCalls_whenTheRoleGrantsNoOtherCall() {
    List<LoopbackEndpoint.Request> requests = new CopyOnWriteArrayList<>();

    SdkPriming.prime(1, Tracer.none(), Set.of("dynamodb:GetItem", "dynamodb:PutItem"), null,
        SdkPriming.REQUESTS_PER_CONNECTION, requests::add);

    assertThat(requests).extracting(SdkPrimingTest::operation).containsExactly(
        "DynamoDB_20120810.PutItem", "DynamoDB_20120810.GetItem", "DynamoDB_20120810.UpdateItem",
        "GET /"); // the request that closes the connection the JDK kept alive
  }

  @Test
  void prime_shouldKeepConnectionsAliveAndCloseTheLastKeptOne_whenItEnds() {
    // 12 dry calls at 5 a connection: two connections closed by their fifth answer, a third kept alive
    // after two, which the closing request takes and closes. Without it that one would stay open, in the
    // JDK's keep-alive cache, into the snapshot.
    SdkPriming.Outcome outcome = SdkPriming.prime(3, Tracer.none(), PUBLISHES, null, 5, request -> { });

    assertThat(outcome.answered()).isEqualTo(12);
    assertThat(outcome.connections()).isEqualTo(3);
    assertThat(outcome.leftOpen()).isZero();
  }

  @Test
  void prime_shouldLeaveNoConnectionOpen_whenTheLastCallClosedItsOwn() {
    // 12 calls at 4 a connection: the twelfth answer closes the third connection; the closing request opens a fourth.
    SdkPriming.Outcome outcome =
        SdkPriming.prime(3, Tracer.none(), PUBLISHES, null, SdkPriming.REQUESTS_PER_CONNECTION, request -> { });

    assertThat(outcome).isEqualTo(new SdkPriming.Outcome(12, 4, 0, true));
  }

  @Test
  void prime_shouldEndWithAHandshakeTheDefaultTlsContextRefuses_withoutARequestOrAnOpenConnection() {
    // The default context's trust store, the JDK's here as in a function, does not hold the loopback's
    // certificate; the handshake ends at its check, before any request.
    List<LoopbackEndpoint.Request> requests = new CopyOnWriteArrayList<>();

    SdkPriming.Outcome outcome =
        SdkPriming.prime(0, Tracer.none(), PUBLISHES, null, SdkPriming.REQUESTS_PER_CONNECTION, requests::add);

    assertThat(outcome.defaultContextRefused()).isTrue();
    assertThat(requests).isEmpty();
    assertThat(outcome.leftOpen()).isZero();
  }

  @Test
  void run_shouldAnswerNothing_whenNoRoundIsAsked() {
    assertThat(SdkPriming.run(0, Tracer.none(), PUBLISHES)).isZero();
  }

  /** A JSON-protocol call by its target; any other by its method and path, as its request line names them. */
  private static String operation(LoopbackEndpoint.Request request) {
    if (request.target() != null) {
      return request.target();
    }
    return request.line().substring(0, request.line().lastIndexOf(' '));
  }
}
