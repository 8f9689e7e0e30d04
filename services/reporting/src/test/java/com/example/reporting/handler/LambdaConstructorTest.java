package com.example.reporting.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.testing.LambdaEnvironments;
import com.example.fanout.testing.LambdaRegion;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The no-arg constructors Lambda and the local runtime use: every setting comes from FunctionEnvironment; nothing is called yet. */
@ExtendWith(LambdaRegion.class)
class LambdaConstructorTest {
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
