package com.example.fanout.ops;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * One order's path across every hop. Locally the runtime keeps the spans and renders them; on AWS
 * the same story is in CloudWatch Logs (every line carries {@code correlation_id}) and X-Ray (the
 * {@code correlation_id} annotation), so the command prints the two queries to run there.
 */
@Command(name = "timeline", mixinStandardHelpOptions = true,
    description = {"One order's path, hop by hop, by correlation id.", "",
        "Local runtime (FANOUT_LOCAL_CONTROL_URL set): its /_local/timeline. On AWS: prints the Logs",
        "Insights and X-Ray commands that give the same."})
final class TimelineCommand implements Callable<Integer> {
  @Mixin
  Target target;

  @Parameters(paramLabel = "<correlationId>")
  String correlationId;

  @Option(names = "--json", description = "the spans as JSON (local runtime only)")
  boolean json;

  @Option(names = "--hours", defaultValue = "3", description = "how far back to search on AWS (default ${DEFAULT-VALUE})")
  int hours;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    var control = target.localControl();
    if (control.isPresent()) {
      String path = "/_local/timeline/" + URLEncoder.encode(correlationId, StandardCharsets.UTF_8).replace("+", "%20")
          + (json ? "?format=json" : "");
      out.print(new LocalControl(control.get()).get(path));
      out.flush();
      return 0;
    }
    String env = target.env();
    out.printf("""
        # No local runtime (FANOUT_LOCAL_CONTROL_URL is not set): on AWS the timeline of %1$s is in
        # CloudWatch Logs and X-Ray. Run:
        QID=$(aws logs start-query \\
          --log-group-names $(aws logs describe-log-groups --log-group-name-prefix /aws/lambda/%2$s- --query 'logGroups[].logGroupName' --output text) \\
          --start-time $(date -d '-%3$d hours' +%%s) --end-time $(date +%%s) \\
          --query-string "fields @timestamp, @log, level, event_type, event_id, message | filter correlation_id = '%1$s' | sort @timestamp asc" \\
          --query queryId --output text)
        sleep 5; aws logs get-query-results --query-id "$QID"
        aws xray get-trace-summaries --start-time $(date -d '-%3$d hours' +%%s) --end-time $(date +%%s) \\
          --filter-expression 'annotation.correlation_id = "%1$s"'
        """, correlationId, env, hours);
    return 0;
  }
}
