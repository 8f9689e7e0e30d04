package com.example.fanout.local.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK for JavaScript v3, an independent SQS client, against ElasticMQ on a free port: it
 * addresses the queue by the QueueUrl the server returned, so that URL must carry the bound port.
 */
class JavaScriptSdkQueueUrlTest {
  private static final Path SCRIPT = Path.of("src/test/node/follow-queue-url.mjs");

  @TempDir
  Path dir;

  @Test
  void javaScriptSdk_shouldSendAndReceiveThroughTheQueueUrl_whenElasticMqRunsOnAFreePort() throws Exception {
    try (ElasticMq sqs = ElasticMq.start(0)) {
      assertThat(sqs.endpoint().getPort()).isPositive();

      Result result = node(sqs, "js-follows-queue-url");

      assertThat(result.exitCode()).as("node stderr: %s", result.stderr()).isZero();
      assertThat(result.stdout())
          .contains("\"created\":\"" + sqs.queueUrl("js-follows-queue-url") + "\"")
          .contains("\"looked\":\"" + sqs.queueUrl("js-follows-queue-url") + "\"")
          .contains("\"bodies\":[\"hello from the JavaScript SDK\"]");
      assertThat(result.stderr()).doesNotContain("differs from SQSClient resolved endpoint");
    }
  }

  private Result node(ElasticMq sqs, String queueName) throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder("node", "--no-warnings", SCRIPT.toAbsolutePath().toString(), queueName)
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
    builder.environment().remove("AWS_PROFILE");
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the JavaScript SQS client did not finish within 60 s");
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Result(int exitCode, String stdout, String stderr) {}
}
