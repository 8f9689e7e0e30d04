package com.example.fanout.ops;

import com.example.fanout.event.EventJson;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A dev access token for the local HTTP API, from the local runtime's own issuer: only there. On AWS
 * tokens come from the environment's OIDC provider (the {@code jwt_issuer} of its tfvars).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = {"A dev access token of the local runtime's issuer, for the HTTP API.", "",
        "Prints the token alone, so that TOKEN=$(fanout token --sub cus_42 --scope orders/read) works.",
        "Local runtime only (FANOUT_LOCAL_CONTROL_URL set)."})
final class TokenCommand implements Callable<Integer> {
  @Mixin
  Target target;

  @Option(names = "--sub", required = true, description = "the subject: the customer id the token speaks for")
  String subject;

  @Option(names = "--scope", required = true, description = "a scope (repeatable), e.g. orders/read, orders/write")
  List<String> scopes;

  @Option(names = "--ttl", defaultValue = "3600", description = "lifetime in seconds, 1..86400 (default ${DEFAULT-VALUE})")
  long ttlSeconds;

  @Option(names = "--json", description = "the same as -o json (the older spelling)")
  boolean json;

  @Mixin
  Output output;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    var control = target.localControl().orElseThrow(() -> new OpsException(Fanout.REFUSED,
        "dev tokens come from the local runtime only (set FANOUT_LOCAL_CONTROL_URL to the `control` line `make run` prints);"
            + " on AWS ask the environment's OIDC provider (jwt_issuer) for an access token"));
    if (ttlSeconds < 1 || ttlSeconds > 86_400) {
      throw new OpsException(Fanout.REFUSED, "--ttl must be 1..86400 seconds, was " + ttlSeconds);
    }
    String query = "sub=" + encode(subject) + "&scope=" + encode(String.join(" ", scopes)) + "&ttl=" + ttlSeconds;
    String answer;
    try {
      answer = new LocalControl(control).post("/_local/auth/token?" + query);
    } catch (OpsException e) {
      throw new OpsException(Fanout.REFUSED, e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json || output.json()) {
      output.printJson(out, EventJson.parse(answer));
    } else {
      out.println(EventJson.parse(answer).path("access_token").asText());
    }
    out.flush();
    return 0;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
