package com.example.payments.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.servers.Dynalite;
import com.example.fanout.testing.LocalAws;
import com.example.payments.domain.FailureReason;
import com.example.payments.domain.PaymentRecord;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class DynamoDbPaymentStoreTest {
  private static Dynalite dynalite;
  private static DynamoDbClient dynamo;
  private static DynamoDbPaymentStore store;

  @BeforeAll
  static void start() {
    dynalite = Dynalite.start();
    dynamo = LocalAws.dynamoDb(dynalite.endpoint());
    store = new DynamoDbPaymentStore(dynamo, LocalAws.createTable(dynamo, "test-payments-payments", "order_id"));
  }

  @AfterAll
  static void stop() {
    dynamo.close();
    dynalite.close();
  }

  @Test
  void recordOnce_shouldKeepTheFirstOutcome_whenASecondOneIsRecorded() {
    PaymentRecord declined = new PaymentRecord("ord_AAAA1111", PaymentRecord.Status.FAILED, null, FailureReason.DECLINED,
        2500, "EUR", Instant.parse("2026-11-26T10:00:00Z"));
    PaymentRecord authorised = new PaymentRecord("ord_AAAA1111", PaymentRecord.Status.AUTHORIZED, "pay_x", null,
        2500, "EUR", Instant.parse("2026-11-26T10:01:00Z"));

    assertThat(store.recordOnce(declined)).isEqualTo(declined);
    assertThat(store.recordOnce(authorised)).isEqualTo(declined);
    assertThat(store.find("ord_AAAA1111")).contains(declined);
    assertThat(store.find("ord_BBBB2222")).isEmpty();
  }
}
