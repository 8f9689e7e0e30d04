package com.example.fanout.benchmarks.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.example.fanout.runtime.LambdaTraceHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdStartProbeTest {
  private static final long MAIN = 1_796_684_011_029L;

  @AfterEach
  void clearTraceHeader() {
    System.clearProperty(LambdaTraceHeaders.SYSTEM_PROPERTY);
  }

  /** Every function deploys with active tracing, so its first invocation records what a sampled request records, whatever its trigger. */
  @Test
  void invocation_shouldCarryASampledTraceHeader_forEveryTrigger(@TempDir Path dir) throws Exception {
    Map<String, String> eventFiles = Map.of(
        "sqs", "{\"probe\":true}\n",
        "stream", "ord_1\tevt_1\t{\"probe\":true}\n",
        "schedule", "arn:aws:scheduler:us-east-1:000000000000:schedule/fanout-reporting/daily-report\n",
        "s3", "bucket\nimports/orders.csv\n",
        "http", "POST /orders\ncus_1\n{\"probe\":true}\n");
    for (Map.Entry<String, String> trigger : eventFiles.entrySet()) {
      Path file = Files.writeString(dir.resolve(trigger.getKey() + ".txt"), trigger.getValue());
      List<String> seen = new ArrayList<>();
      RequestHandler<Object, Object> handler = (event, context) -> {
        seen.add(System.getProperty(LambdaTraceHeaders.SYSTEM_PROPERTY));
        return switch (trigger.getKey()) {
          case "http" -> APIGatewayV2HTTPResponse.builder().withStatusCode(202).build();
          case "stream" -> new StreamsEventResponse(List.of());
          default -> new SQSBatchResponse(List.of());
        };
      };
      System.clearProperty(LambdaTraceHeaders.SYSTEM_PROPERTY);

      ColdStartProbe.Invocation invocation = ColdStartProbe.invocation(handler,
          new String[] {"unused.Handler", file.toString(), "bench-function", "512"}, List.of(trigger.getKey()), MAIN);

      assertThat(invocation.invoke()).as(trigger.getKey()).isZero();
      assertThat(seen).as(trigger.getKey()).singleElement().asString()
          .startsWith("Root=1-" + Long.toHexString(MAIN / 1000) + "-").endsWith(";Sampled=1");
    }
  }
}
