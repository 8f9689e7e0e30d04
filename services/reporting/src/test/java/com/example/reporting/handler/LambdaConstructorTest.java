package com.example.reporting.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.runtime.FunctionEnvironment;
import java.util.HashMap;
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
    Map<String, String> env = new HashMap<>();
    env.put("FANOUT_SERVICE", "reporting");
    env.put("FANOUT_FUNCTION", function);
    env.put("EVENT_BUS_NAME", "dev-fanout");
    env.put("DLQ_URL", "https://sqs.us-east-1.amazonaws.com/111122223333/dev-reporting-" + function + "-dlq");
    env.put("FANOUT_TRACER", "none");
    return env;
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
