package com.example.fanout.local.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.lambda.AsyncInvocations;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seam between the modules' event invoke configs and the local runtime's asynchronous queue:
 * every config Terraform applied ({@code make tf-json}) retries a failed event as often, and keeps an
 * event as long, as {@link AsyncInvocations} does locally.
 */
class PlannedAsyncInvocationsTest {
  @Test
  void everyAppliedEventInvokeConfig_shouldRetryAndAgeEventsAsTheLocalQueueDoes() throws Exception {
    List<JsonNode> configs = AppliedState.resources("aws_lambda_function_event_invoke_config");

    assertThat(configs).as("event invoke configs: the imports bucket's and each scheduled job's").hasSizeGreaterThanOrEqualTo(3);
    for (JsonNode config : configs) {
      String where = config.path("address").asText();
      assertThat(config.at("/values/maximum_retry_attempts").asInt()).as(where).isEqualTo(AsyncInvocations.maximumRetryAttempts());
      assertThat(config.at("/values/maximum_event_age_in_seconds").asLong()).as(where)
          .isEqualTo(AsyncInvocations.MAXIMUM_EVENT_AGE.toSeconds());
      assertThat(config.at("/values/qualifier").asText()).as(where).isEqualTo("live");
    }
  }
}
