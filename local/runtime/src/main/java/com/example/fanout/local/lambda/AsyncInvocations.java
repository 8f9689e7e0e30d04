package com.example.fanout.local.lambda;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.LocalClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda's asynchronous invocation with its defaults, which the Terraform modules keep: a function
 * error is retried twice, one minute and then two minutes later, here on the local clock, and an
 * event that failed all three attempts goes to the on-failure destination as Lambda's invocation
 * record ({@code RetriesExhausted}, the event, the last error).
 */
public final class AsyncInvocations {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncInvocations.class);
  /** Lambda's waits before the second and the third attempt. */
  static final List<Duration> RETRY_WAITS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2));
  private static final int ATTEMPTS = RETRY_WAITS.size() + 1;

  private final LocalClock clock;

  public AsyncInvocations(LocalClock clock) {
    this.clock = clock;
  }

  /**
   * Invokes {@code function} with {@code event} until an attempt succeeds. When all of them failed,
   * sends the invocation record to {@code onFailure} and answers the last attempt's error.
   *
   * @param what the event, as the log names it
   * @throws InterruptedException when the platform stops before the attempts end
   */
  public Optional<Exception> invoke(LocalFunction function, JsonNode event, String what, Consumer<String> onFailure)
      throws InterruptedException {
    String payload = EventJson.write(event);
    Exception last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        Thread.sleep(clock.toReal(RETRY_WAITS.get(attempt - 2)));
      }
      try {
        function.invokeJson(payload, null);
        return Optional.empty();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
        LOG.warn("{}: {} failed (attempt {} of {}): {}", function.name(), what, attempt, ATTEMPTS, e.toString());
      }
    }
    onFailure.accept(InvocationRecord.retriesExhausted(FunctionArns.alias(function.name()), event, ATTEMPTS, last));
    return Optional.of(last);
  }
}
