package com.example.fanout.testing;

import java.util.HashMap;
import java.util.Map;

/** What Terraform (and the local runtime) set in a function's environment, for no-arg constructor tests. */
public final class LambdaEnvironments {
  private LambdaEnvironments() {}

  /** The environment of an SQS consumer {@code <service>-<function>} in env {@code dev}; mutable, add tables to it. */
  public static Map<String, String> consumer(String service, String function) {
    Map<String, String> env = new HashMap<>();
    env.put("FANOUT_ENV", "dev");
    env.put("FANOUT_SERVICE", service);
    env.put("FANOUT_FUNCTION", function);
    env.put("EVENT_BUS_NAME", "dev-fanout");
    env.put("DLQ_URL", "https://sqs.us-east-1.amazonaws.com/111122223333/dev-" + service + "-" + function + "-dlq");
    env.put("FANOUT_TRACER", "none");
    return env;
  }
}
