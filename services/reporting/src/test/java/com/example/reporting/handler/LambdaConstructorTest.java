package com.example.reporting.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.testing.LambdaEnvironments;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The no-arg constructors Lambda and the local runtime use: every setting comes from FunctionEnvironment; nothing is called yet. */
class LambdaConstructorTest {
  @BeforeEach
  void region() {
    System.setProperty("aws.region", "us-east-1");
  }

  @AfterEach
  void clearRegion() {
    System.clearProperty("aws.region");
  }

  static Map<String, String> consumerEnv(String function) {
    return LambdaEnvironments.consumer("reporting", function);
  }

  @Test
  void constructors_shouldWireFromTheEnvironment_whenTablesAndBucketAreSet() {
    Map<String, String> env = consumerEnv("order-ledger");
    env.put("TABLE_LEDGER", "dev-reporting-ledger");
    env.put("BUCKET_REPORTS", "dev-reporting-reports-111122223333");
    env.put("STUCK_AFTER_MINUTES", "15");

    assertThat((Object) FunctionEnvironment.with(env, OrderLedgerHandler::new)).isNotNull();
    assertThat((Object) FunctionEnvironment.with(env, DailyReportHandler::new)).isNotNull();
    assertThat((Object) FunctionEnvironment.with(env, SagaWatchdogHandler::new)).isNotNull();
  }

  @Test
  void constructor_shouldNameTheMissingBucket_whenTheReportHasNowhereToGo() {
    Map<String, String> env = consumerEnv("daily-report");
    env.put("TABLE_LEDGER", "dev-reporting-ledger");

    assertThatThrownBy(() -> FunctionEnvironment.with(env, DailyReportHandler::new)).hasMessageContaining("BUCKET_REPORTS");
  }
}
